using FeatureMaps.MLNet.Onnx;
using FeatureMaps.MLNet.Persistence;
using FeatureMaps.MLNet.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// The fitted ML.NET pipeline a run streams images through: built from an ONNX model (LoadAndResize ->
/// ExtractLayerOutputs -> NormalizeForDisplay -> ComposeBelt) or loaded from a saved zip.
/// </summary>
/// <remarks>Disposable: its ONNX Runtime sessions hold the model's weights until released (several per native size).</remarks>
internal sealed class FeatureMapPipeline : IDisposable
{
    /// <summary>The columns the run reads, as LoadAndResize names them by default.</summary>
    public const string ImageColumn = LoadAndResizeOptions.Defaults.OutputColumnName;
    public const string ErrorColumn = LoadAndResizeOptions.Defaults.OutputColumnName + "Error";

    private FeatureMapPipeline(ITransformer transformer, string pathColumn, IReadOnlyList<string> classNames, string source, string identity, RunOptions options)
    {
        Transformer = transformer;
        PathColumn = pathColumn;
        ClassNames = classNames;
        Source = source;
        Settings = Fnv1a.Hex(Fnv1a.Hash(string.Join('\n', identity, options.Colormap, options.TutorialFigure, options.Pgm, ToolVersion)));
    }

    /// <summary>This tool's and the library's versions: a new version may draw differently, so resume redoes old outputs.</summary>
    public static string ToolVersion { get; } =
        $"{typeof(FeatureMapPipeline).Assembly.GetName().Version}/{typeof(FeatureMaps.MLNet.Rendering.BeltPlot).Assembly.GetName().Version}";

    public ITransformer Transformer { get; }

    public void Dispose() => FittedTransformers.DisposeAll(Transformer);

    /// <summary>The text column of image paths the pipeline reads.</summary>
    public string PathColumn { get; }

    /// <summary>Labels for model outputs, from the model's <c>classes</c> metadata (a saved zip carries it in its layer graph).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>What the features come from, for the report's header.</summary>
    public string Source { get; }

    /// <summary>Fingerprint of everything that shapes the outputs: model or zip bytes, every option, the tool version.</summary>
    public string Settings { get; }

    public static FeatureMapPipeline Create(MLContext ml, RunOptions options) =>
        options.PipelinePath is { } zip ? Load(ml, zip, options) : Build(ml, options);

    /// <summary>The lazily enumerated image paths as the pipeline's input view; nothing is read until a cursor moves.</summary>
    public IDataView Input(MLContext ml, IEnumerable<string> imagePaths) =>
        ImagePathView.Create(ml, imagePaths, PathColumn);

    /// <summary>Saves the fitted pipeline the way the library's own API does (input schema: the path column alone), atomically.</summary>
    public void Save(MLContext ml, string path) =>
        AtomicFiles.Write(Path.GetFullPath(path), stream => ml.Model.Save(Transformer, Input(ml, []).Schema, stream));

    private static FeatureMapPipeline Build(MLContext ml, RunOptions options)
    {
        var modelPath = options.ModelPath ?? throw new ArgumentException("Give --model M.onnx or --pipeline featuremaps.zip.");
        // The layer extractor reads and describes the model once; its description also gives the input geometry.
        var layers = ml.Transforms.ExtractLayerOutputs(new ExtractLayerOutputsOptions
        {
            ModelPath = modelPath,
            InputColumnName = ImageColumn,
            Layers = options.Layers.Count > 0 ? options.Layers : null,
            Preprocessing = options.Preprocessing,
            InputModelPath = options.InputModelPath,
            MaxActivationBytes = options.MaxActivationBytes,
        });
        var model = layers.Model;
        var input = model.ImageInput;
        var (height, width, channels) = input.ImageGeometry;
        if (options.NativeSizeMultiple is not null && (height.IsFixed || width.IsFixed))
            throw new ArgumentException($"--native-size needs a model whose input height and width are dynamic; '{modelPath}' takes [{string.Join(", ", input.Shape)}] (its images are resized to that size).");
        var loading = new LoadAndResizeOptions
        {
            Width = options.Width ?? SizeOf(width, "width", input, modelPath),
            Height = options.Height ?? SizeOf(height, "height", input, modelPath),
            Channels = (int?)channels.Size ?? LoadAndResizeOptions.Defaults.Channels,
            Mode = options.Resize,
        };
        var estimator = ml.Transforms.LoadAndResize(loading)
            .Append(layers)
            .Append(ml.Transforms.NormalizeForDisplay(new NormalizeForDisplayOptions
            {
                Mode = options.Normalization,
                Scope = options.Scope,
                GraphPerLayer = options.MaxActivationBytes is not null,
            }));
        // One ComposeBelt per distinct grid width, so each layer gets the columns that suit its channel count.
        var belts = layers.SelectedLayers
            .Select(layer => (Name: layers.ColumnOf(layer)[ColumnPrefixes.Layer.Length..],
                              Columns: options.ColumnsFor(layer.IsFeatureMap ? layer.MapGeometry.Channels.Size : null)))
            .GroupBy(layer => layer.Columns);
        foreach (var group in belts)
            estimator = estimator.Append(ml.Transforms.ComposeBelt(new ComposeBeltOptions
            {
                Columns = group.Select(l => (ColumnPrefixes.Display + l.Name, ColumnPrefixes.Belt + l.Name)).ToList(),
                ChannelsPerRow = group.Key,
                MaxChannels = options.MaxChannels,
                Choice = options.ChannelChoice,
                Spacing = options.EffectiveSpacing,
                GraphPerLayer = options.MaxActivationBytes is not null,
            }));
        // Under a memory budget the CAM's layer may sit in an earlier pass than the scores; reading both would compute
        // that pass again and hold it beside the last one, so budgeted runs draw no overlay.
        if (options.MaxActivationBytes is null && ReportCam.For(ml, modelPath, options, layers) is { } cam)
            estimator = estimator.Append(cam);
        var pathColumn = LoadAndResizeOptions.Defaults.InputColumnName;
        ITransformer transformer;
        try
        {
            // Fitting reads no rows; an empty view keeps the lazy image enumeration for the one real pass.
            transformer = estimator.Fit(ImagePathView.Create(ml, [], pathColumn));
        }
        catch (InvalidOperationException e)
        {
            // A graph ONNX Runtime cannot load (an unsupported tensor type, say) is reported this way.
            throw new OnnxModelException(modelPath, $"ML.NET cannot run '{modelPath}': {e.Message}", e);
        }
        var pre = options.Preprocessing;
        var identity = string.Join('\n', "model", Fnv1a.Hex(Fnv1a.HashFile(modelPath)),
            options.InputModelPath is { } inputModel ? Fnv1a.Hex(Fnv1a.HashFile(inputModel)) : "",
            // Under --native-size every image has its own size; the settings are the same for all of them.
            options.NativeSizeMultiple is { } multiple ? $"native/{multiple}" : $"{loading.Width}x{loading.Height}", loading.Channels, loading.Mode,
            pre.Order, Numbers(pre.Scale), Numbers(pre.Mean), Numbers(pre.Std),
            string.Join('\t', options.Layers), options.Normalization, options.Scope, options.Columns, options.MaxChannels, options.ChannelChoice, options.EffectiveSpacing);
        var size = options.NativeSizeMultiple is { } m ? $"native size (multiple of {m})" : $"{loading.Width}x{loading.Height} {loading.Mode.ToString().ToLowerInvariant()}";
        var source = $"{Path.GetFileName(modelPath)} · {size} · {options.Preprocessing.Name} · " +
                     $"{options.Normalization.ToString().ToLowerInvariant()} {(options.Scope == NormalizationScope.PerChannel ? "per channel" : "per layer")}";
        return Checked(ml, new FeatureMapPipeline(transformer, pathColumn, model.ClassNames, source, identity, options), modelPath);
    }

    private static FeatureMapPipeline Load(MLContext ml, string zip, RunOptions options)
    {
        var transformer = ml.LoadFeatureMaps(zip, out var inputSchema);
        var texts = inputSchema.Where(c => c.Type is TextDataViewType).Select(c => c.Name).ToList();
        var pathColumn = texts.Contains(LoadAndResizeOptions.Defaults.InputColumnName) ? LoadAndResizeOptions.Defaults.InputColumnName
            : texts.Count == 1 ? texts[0]
            : throw new InvalidDataException($"Pipeline '{zip}' takes the text columns [{string.Join(", ", texts)}]; expected one column of image paths.");
        var identity = string.Join('\n', "pipeline", Fnv1a.Hex(Fnv1a.HashFile(zip)));
        var classes = FeatureMapsModel.ReadModelMetadata(zip).TryGetValue("classes", out var names) ? names.Split(',', StringSplitOptions.TrimEntries) : [];
        return Checked(ml, new FeatureMapPipeline(transformer, pathColumn, classes, $"pipeline {Path.GetFileName(zip)}", identity, options), zip);
    }

    private static string Numbers(float[] values) => string.Join(',', values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

    private static int SizeOf(TensorDimension dimension, string what, ModelInput input, string modelPath) =>
        dimension.Size is { } size ? checked((int)size)
            : throw new ArgumentException($"The input '{input.Name}' of '{modelPath}' has a symbolic {what} ({dimension}, shape [{string.Join(", ", input.Shape)}]); give --width and --height.");

    /// <summary>A zip saved with other column names cannot be read by the run; say which columns are missing.</summary>
    private static FeatureMapPipeline Checked(MLContext ml, FeatureMapPipeline pipeline, string source)
    {
        var schema = pipeline.Transformer.GetOutputSchema(pipeline.Input(ml, []).Schema);
        var missing = new[] { ImageColumn, ErrorColumn }.Where(c => schema.GetColumnOrNull(c) is null).ToList();
        if (!schema.Any(c => c.Name.StartsWith(ColumnPrefixes.Belt, StringComparison.Ordinal)))
            missing.Add(ColumnPrefixes.Belt + "*");
        if (missing.Count > 0)
            throw new InvalidDataException($"'{source}' does not produce the columns {string.Join(", ", missing)}; the run reads the default column names of LoadAndResize and ComposeBelt.");
        return pipeline;
    }
}
