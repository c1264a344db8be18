using FeatureMaps.MLNet.Imaging;
using FeatureMaps.MLNet.Transforms;

namespace FeatureMaps.Samples.Cli;

/// <summary>Everything a run needs, parsed and defaulted; built by <see cref="RunCommand"/>, executed by <see cref="Runner"/>.</summary>
internal sealed record RunOptions
{
    /// <summary>The ONNX model; null when <see cref="PipelinePath"/> is given.</summary>
    public string? ModelPath { get; init; }

    /// <summary>A saved fitted pipeline used instead of building one from <see cref="ModelPath"/>.</summary>
    public string? PipelinePath { get; init; }

    public required string ImagesPath { get; init; }

    public required string OutPath { get; init; }

    /// <summary>Layer selections (names, globs, <c>op:Conv</c>, <c>#0-5</c>); empty = every 4-D layer.</summary>
    public IReadOnlyList<string> Layers { get; init; } = [];

    public InputPreprocessing Preprocessing { get; init; } = InputPreprocessing.Keras;

    /// <summary>An ONNX model between the preprocessing and <see cref="ModelPath"/> (ExtractLayerOutputsOptions.InputModelPath).</summary>
    public string? InputModelPath { get; init; }

    public string Colormap { get; init; } = "viridis";

    public NormalizationMode Normalization { get; init; } = NormalizationMode.Standardize;

    public NormalizationScope Scope { get; init; } = NormalizationScope.PerChannel;

    /// <summary>Belt tiles per row; null = <see cref="ColumnsFor"/>'s default (or one strip with <see cref="TutorialFigure"/>).</summary>
    public int? Columns { get; init; }

    /// <summary>Only this many channels of a layer are drawn (chosen by <see cref="ChannelChoice"/>); null = all.</summary>
    public int? MaxChannels { get; init; }

    /// <summary>Which channels <see cref="MaxChannels"/> keeps: the first or the most active (<c>--channels</c>).</summary>
    public ChannelChoice ChannelChoice { get; init; } = ChannelChoice.First;

    /// <summary>The title of a layer's picture: its name, and which of its channels are shown when capped.</summary>
    public string TitleOf(string layer, int channels) =>
        MaxChannels < channels
            ? ChannelChoice == ChannelChoice.MostActive
                ? $"{layer} ({MaxChannels} most active of {channels} channels, by mean activation)"
                : $"{layer} (first {MaxChannels} of {channels} channels)"
            : layer;

    /// <summary>
    /// The most float32 activation bytes fetched at once (<c>--max-activation-mb</c>); null = all layers of an image in
    /// one run. Above it, each image runs in passes of layers (ExtractLayerOutputsOptions.MaxActivationBytes + FeatureMapReader).
    /// </summary>
    public long? MaxActivationBytes { get; init; }

    /// <summary>Pixels between belt tiles; null = <see cref="DefaultSpacing"/> for a grid, 0 for the tutorial strip.</summary>
    public int? Spacing { get; init; }

    /// <summary>Model input width; null = the model's own.</summary>
    public int? Width { get; init; }

    public int? Height { get; init; }

    public ResizeMode Resize { get; init; } = ResizeMode.Stretch;

    /// <summary>
    /// Run each image at its own size rounded to this multiple (<c>--native-size</c>, for models with dynamic height and
    /// width); null = one size for all (<see cref="Width"/> x <see cref="Height"/> or the model's).
    /// </summary>
    public int? NativeSizeMultiple { get; init; }

    public bool Recursive { get; init; }

    public string? SavePipelinePath { get; init; }

    public Shard Shard { get; init; } = Shard.All;

    /// <summary>Skip images whose outputs are complete and made with the same settings.</summary>
    public bool Resume { get; init; }

    /// <summary>Redo images that already have outputs.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Render each belt as the tutorial's figure: one strip of k maps, 2000 x 2000/k pixels.</summary>
    public bool TutorialFigure { get; init; }

    /// <summary>Also write each raw belt as an 8-bit PGM, byte for byte what the pipeline made.</summary>
    public bool Pgm { get; init; }

    /// <summary>
    /// A 32-channel layer in one strip is 32 maps wide and one high (2000 x 62 pixels at the tutorial's size): too thin
    /// to see. Eight per row makes such layers a readable block and leaves layers of up to 8 channels one strip.
    /// </summary>
    public const int DefaultColumns = 8;

    /// <summary>A thin gap so neighbouring maps in a grid do not run into each other.</summary>
    public const int DefaultSpacing = 2;

    /// <summary>
    /// Belt tiles per row for a layer of <paramref name="channels"/> maps (null when unknown before fitting); null = a
    /// single strip. By default layers wider than 64 channels get about sqrt(channels) per row instead of 8, so a
    /// 1000-channel layer is a 32 x 32 block rather than a column 125 maps tall.
    /// </summary>
    public int? ColumnsFor(long? channels) =>
        TutorialFigure ? null : Columns ?? (int)Math.Max(DefaultColumns, Math.Ceiling(Math.Sqrt(Math.Min(channels ?? 0, MaxChannels ?? long.MaxValue))));

    public int EffectiveSpacing => Spacing ?? (TutorialFigure ? 0 : DefaultSpacing);
}
