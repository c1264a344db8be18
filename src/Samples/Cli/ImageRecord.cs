using System.Text.Json;
using System.Text.Json.Serialization;

namespace FeatureMaps.Samples.Cli;

internal enum ImageStatus
{
    Ok,
    Failed,
}

/// <summary>
/// What became of one image: the content of its <c>done.json</c> and of its entry in <c>summary.json</c>. The file is
/// written last, after every picture of the image, so its presence with status ok means the image's outputs are complete.
/// </summary>
internal sealed record ImageRecord
{
    /// <summary>The image's path below the images folder, '/' separated.</summary>
    public required string Path { get; init; }

    /// <summary>The image's output folder below <c>--out</c>, '/' separated.</summary>
    public required string Folder { get; init; }

    public required ImageStatus Status { get; init; }

    public string? Error { get; init; }

    /// <summary>Fingerprint of the settings that made the outputs; <c>--resume</c> redoes images made with other settings.</summary>
    public required string Settings { get; init; }

    /// <summary>The model input as the network saw it (resized), relative to <see cref="Folder"/>.</summary>
    public string? Input { get; init; }

    public string? ContactSheet { get; init; }

    /// <summary>The image's per-channel activity (<see cref="ImageChannelActivity"/>), relative to <see cref="Folder"/>; absent in records of older runs.</summary>
    public string? ChannelActivity { get; init; }

    public IReadOnlyList<ModelOutput> Outputs { get; init; } = [];

    public IReadOnlyList<LayerResult> Layers { get; init; } = [];

    /// <summary>The class activation map overlay, when the run made one.</summary>
    public CamResult? Cam { get; init; }

    public required ImageTimings Timings { get; init; }

    public static ImageRecord Failed(CatalogImage image, string settings, string error, double inferenceMs) => new()
    {
        Path = image.RelativePath,
        Folder = OutputLayout.ImageFolder(image.RelativePath),
        Status = ImageStatus.Failed,
        Error = error,
        Settings = settings,
        Timings = new ImageTimings(inferenceMs, 0),
    };

    /// <summary>The record in <paramref name="file"/>, or null when there is none or it cannot be read (the image is then redone).</summary>
    public static ImageRecord? TryRead(string file) => CliJson.TryRead<ImageRecord>(file);

    public void Write(string file) =>
        AtomicFiles.Write(file, stream => JsonSerializer.Serialize(stream, this, CliJson.Options));
}

/// <summary>A model output such as class probabilities; <paramref name="Predicted"/> is the label of the largest value.</summary>
/// <param name="Name">The output tensor.</param>
/// <param name="Predicted">The label with the largest value.</param>
/// <param name="Values">All values in output order, or the <see cref="TopValues"/> largest when there are more than <see cref="AllValuesUpTo"/>.</param>
/// <param name="Count">How many values the output has.</param>
internal sealed record ModelOutput(string Name, string Predicted, IReadOnlyList<LabeledValue> Values, int Count)
{
    public const int AllValuesUpTo = 10;
    public const int TopValues = 5;

    /// <summary>Labels come from the model's class names when their count matches, else they are the value indices.</summary>
    public static ModelOutput From(string name, ReadOnlySpan<float> values, IReadOnlyList<string> classNames)
    {
        var labeled = new LabeledValue[values.Length];
        for (var i = 0; i < values.Length; i++)
            labeled[i] = new LabeledValue(classNames.Count == values.Length ? classNames[i] : i.ToString(System.Globalization.CultureInfo.InvariantCulture), values[i]);
        var top = labeled.OrderByDescending(v => v.Value); // a stable sort: ties keep output order
        return new ModelOutput(name, top.FirstOrDefault()?.Label ?? "", values.Length <= AllValuesUpTo ? labeled : top.Take(TopValues).ToList(), values.Length);
    }
}

internal sealed record LabeledValue(string Label, float Value);

/// <summary>One layer of one image.</summary>
/// <param name="Name">The layer name.</param>
/// <param name="File">Its belt PNG, relative to the image folder.</param>
/// <param name="RawFile">Its raw belt as PGM (with <c>--pgm</c>), relative to the image folder.</param>
/// <param name="Height">Feature-map height.</param>
/// <param name="Width">Feature-map width.</param>
/// <param name="Channels">Feature-map count.</param>
/// <param name="BeltHeight">Belt rows.</param>
/// <param name="BeltWidth">Belt columns.</param>
/// <param name="Statistics">Activation statistics.</param>
internal sealed record LayerResult(string Name, string File, string? RawFile, int Height, int Width, int Channels, int BeltHeight, int BeltWidth, LayerStatistics Statistics);

/// <summary>Statistics of a layer's raw activations (before display normalization).</summary>
/// <param name="Mean">Mean over all values.</param>
/// <param name="Std">Population standard deviation over all values.</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
/// <param name="DeadChannels">Channels whose activations are all exactly 0 (e.g. ReLU units that never fire on this image).</param>
/// <param name="DeadShare">DeadChannels / channels.</param>
internal sealed record LayerStatistics(double Mean, double Std, double Min, double Max, int DeadChannels, double DeadShare);

/// <param name="InferenceMs">Decode, resize, network and belt composition (the pipeline's work on the row).</param>
/// <param name="RenderMs">PNG rendering and writing.</param>
internal sealed record ImageTimings(double InferenceMs, double RenderMs);
