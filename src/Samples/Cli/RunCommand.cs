using System.CommandLine;
using FeatureMaps.MLNet.Imaging;
using FeatureMaps.MLNet.Rendering;
using FeatureMaps.MLNet.Transforms;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// <c>featuremaps run --model M.onnx --images DIR --out DIR [options]</c>, and the bare <c>featuremaps</c> command,
/// which is the same run with bundled defaults: the seed CNN over the sample photos into <c>out/</c>, replacing earlier
/// results unless <c>--resume</c> is given. Both parse into <see cref="RunOptions"/> and go through <see cref="Runner"/>.
/// </summary>
internal sealed class RunCommand
{
    private static readonly Dictionary<string, NormalizationMode> Normalizations = new()
    {
        ["standardize"] = NormalizationMode.Standardize, ["minmax"] = NormalizationMode.MinMax, ["percentile"] = NormalizationMode.Percentile,
    };
    private static readonly Dictionary<string, NormalizationScope> Scopes = new()
    {
        ["channel"] = NormalizationScope.PerChannel, ["layer"] = NormalizationScope.PerLayer,
    };
    private static readonly Dictionary<string, ResizeMode> Resizes = new()
    {
        ["stretch"] = ResizeMode.Stretch, ["pad"] = ResizeMode.Pad, ["crop"] = ResizeMode.CropCenter,
    };
    private static readonly Dictionary<string, ChannelChoice> ChannelChoices = new()
    {
        ["first"] = ChannelChoice.First, ["most-active"] = ChannelChoice.MostActive,
    };

    private readonly bool _bundled;
    private readonly Option<string> _model = new("--model") { HelpName = "M.onnx", Description = "The ONNX model." };
    private readonly Option<string> _pipeline = new("--pipeline") { HelpName = "ZIP", Description = "A saved fitted pipeline zip (from --save-pipeline or mlContext.Model.Save) to use instead of --model; it fixes size, layers and normalization." };
    private readonly Option<string> _images = new("--images") { HelpName = "DIR", Description = "Folder of images (jpg, jpeg, png, bmp, gif, webp)." };
    private readonly Option<string> _out = new("--out") { HelpName = "DIR", Description = "Output folder; it gets a folder per image, index.html and summary.json.", DefaultValueFactory = _ => "out" };
    private readonly Option<string[]> _layers = new("--layers") { HelpName = "SELECTION", Description = "Layers to show, repeatable: names, globs (conv2d*), op:Conv, #0-5. Default: every 4-D layer." };
    private readonly Option<string> _preprocess = new("--preprocess")
    {
        HelpName = "PRESET|SPEC",
        Description = $"How pixels become model input: {string.Join(", ", InputPreprocessing.Presets.Select(p => p.Name))}, or e.g. \"order=bgr;scale=1/255;mean=0.485,0.456,0.406;std=0.229,0.224,0.225\".",
        DefaultValueFactory = _ => InputPreprocessing.Keras.Name,
    };
    private readonly Option<string> _inputModel = new("--input-model") { HelpName = "PRE.onnx", Description = "An ONNX model run on the preprocessed pixels before --model (e.g. a mean-image subtraction model); its output feeds the model." };
    private readonly Option<string> _colormap = new("--colormap") { HelpName = "NAME", Description = "viridis, magma, inferno, plasma, turbo, jet, gray or greys; add _r to reverse.", DefaultValueFactory = _ => "viridis" };
    private readonly Option<string> _normalize = new("--normalize") { Description = "How activations become grey levels.", DefaultValueFactory = _ => "standardize" };
    private readonly Option<string> _scope = new("--scope") { Description = "Normalization statistics per channel or per layer.", DefaultValueFactory = _ => "channel" };
    private readonly Option<int?> _columns = new("--columns") { HelpName = "N", Description = $"Channel maps per belt row. Default: {RunOptions.DefaultColumns} (narrower layers stay one strip), about the square root of the channel count above 64 channels." };
    private readonly Option<int?> _maxChannels = new("--max-channels") { HelpName = "N", Description = "Show only the first N channels of wider layers (e.g. 512-channel layers); the picture's title says so." };
    private readonly Option<string> _channels = new("--channels") { Description = "Which maps --max-channels keeps: first (channel order) or most-active (largest mean raw activation first); the title says which.", DefaultValueFactory = _ => "first" };
    private readonly Option<bool> _nativeSize = new("--native-size") { Description = $"For models with dynamic height and width (fully convolutional, e.g. ppocrv4_det): run each image at its own size rounded to --size-multiple (at most {FeatureMaps.MLNet.Imaging.NativeSize.DefaultMaxPixels} pixels), so the maps grow with the image." };
    private readonly Option<int> _sizeMultiple = new("--size-multiple") { HelpName = "N", Description = "The multiple --native-size rounds each side to: the model's total stride.", DefaultValueFactory = _ => 32 };
    private readonly Option<double?> _maxActivationMb = new("--max-activation-mb") { HelpName = "MB", Description = "The most layer activations (float32, MB) held at once: above it each image runs in several passes of layers, each recomputing the network up to its deepest layer. A single larger layer runs alone (with a warning)." };
    private readonly Option<int?> _spacing = new("--spacing") { HelpName = "PIXELS", Description = $"Pixels between maps. Default: {RunOptions.DefaultSpacing}, 0 with --tutorial-figure." };
    private readonly Option<int?> _width = new("--width") { HelpName = "PIXELS", Description = "Model input width. Default: the model's; required when it is symbolic." };
    private readonly Option<int?> _height = new("--height") { HelpName = "PIXELS", Description = "Model input height. Default: the model's; required when it is symbolic." };
    private readonly Option<string> _resize = new("--resize") { Description = "How images are fitted to the input size.", DefaultValueFactory = _ => "stretch" };
    private readonly Option<bool> _recursive = new("--recursive") { Description = "Include images in subfolders (outputs mirror the folder tree)." };
    private readonly Option<string> _savePipeline = new("--save-pipeline") { HelpName = "ZIP", Description = "Also save the fitted pipeline to this zip, for --pipeline or for ML.NET code." };
    private readonly Option<string> _shard = new("--shard") { HelpName = "i/n|auto/n", Description = "Process only part i of n of the images (i/n), or auto/n with i from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID. Merge with `featuremaps report`." };
    private readonly Option<bool> _resume = new("--resume") { Description = "Skip images whose outputs are complete (made with the same settings); finish the rest." };
    private readonly Option<bool> _overwrite = new("--overwrite") { Description = "Redo images that already have outputs in --out." };
    private readonly Option<bool> _tutorialFigure = new("--tutorial-figure") { Description = "Draw each layer as the tutorial does: one strip of maps in a 2000 x 2000/k figure." };
    private readonly Option<bool> _pgm = new("--pgm") { Description = "Also write each raw belt as an 8-bit PGM, byte for byte what the pipeline made." };

    private RunCommand(bool bundled)
    {
        _bundled = bundled;
        _images.Required = !bundled;
        if (bundled)
        {
            _model.Description += " Default: the bundled seed CNN (models/seed-cnn.onnx).";
            _images.Description += " Default: the bundled sample photos.";
        }
        _normalize.AcceptOnlyFromAmong([.. Normalizations.Keys]);
        _scope.AcceptOnlyFromAmong([.. Scopes.Keys]);
        _resize.AcceptOnlyFromAmong([.. Resizes.Keys]);
        _channels.AcceptOnlyFromAmong([.. ChannelChoices.Keys]);
    }

    private IEnumerable<Option> All =>
    [
        _model, _pipeline, _images, _out, _layers, _preprocess, _inputModel, _colormap, _normalize, _scope, _columns, _maxChannels, _channels, _spacing, _width, _height,
        _resize, _nativeSize, _sizeMultiple, _maxActivationMb, _recursive, _savePipeline, _shard, _resume, _overwrite, _tutorialFigure, _pgm,
    ];

    /// <summary>Options that shape the fitted pipeline, which a saved --pipeline already fixes.</summary>
    private IEnumerable<Option> PipelineShaping => [_model, _layers, _preprocess, _inputModel, _normalize, _scope, _columns, _maxChannels, _channels, _spacing, _width, _height, _resize, _nativeSize, _sizeMultiple, _savePipeline];

    public static Command Create()
    {
        var command = new Command("run", "Run a folder of images through an ONNX CNN and write per-layer feature-map pictures, index.html and summary.json.");
        new RunCommand(bundled: false).Attach(command);
        return command;
    }

    /// <summary>Makes <paramref name="root"/> run the bundled seed CNN over the sample photos when no command is given.</summary>
    public static void AttachDefaults(RootCommand root) => new RunCommand(bundled: true).Attach(root);

    private void Attach(Command command)
    {
        foreach (var option in All)
            command.Options.Add(option);
        command.SetAction(parse => CliErrors.Guard(() => Runner.Run(Read(parse))));
    }

    private RunOptions Read(ParseResult parse)
    {
        bool Given(Option option) => parse.GetResult(option) is { Implicit: false };
        var pipeline = parse.GetValue(_pipeline);
        if (pipeline is not null && PipelineShaping.Where(Given).Select(o => o.Name).ToList() is { Count: > 0 } fixedByZip)
            throw new ArgumentException($"--pipeline fixes the model and its settings; drop {string.Join(", ", fixedByZip)}.");
        var resume = parse.GetValue(_resume);
        if (resume && parse.GetValue(_overwrite))
            throw new ArgumentException("--resume keeps complete images and --overwrite redoes them; give one of them.");
        var (columns, spacing, width, height) = (parse.GetValue(_columns), parse.GetValue(_spacing), parse.GetValue(_width), parse.GetValue(_height));
        if (parse.GetValue(_tutorialFigure) && columns is not null)
            throw new ArgumentException("--tutorial-figure draws one strip per layer; drop --columns.");
        var maxChannels = parse.GetValue(_maxChannels);
        if (columns is < 1 || maxChannels is < 1 || spacing is < 0 || width is < 1 || height is < 1)
            throw new ArgumentException("--columns, --max-channels, --width and --height must be positive and --spacing must not be negative.");
        var maxActivationMb = parse.GetValue(_maxActivationMb);
        if (maxActivationMb is { } mb && !(mb > 0 && mb < 1e9))
            throw new ArgumentException($"--max-activation-mb must be a positive number of megabytes; got {mb}.");
        var nativeSize = parse.GetValue(_nativeSize);
        if (nativeSize && (width is not null || height is not null || parse.GetValue(_savePipeline) is not null))
            throw new ArgumentException("--native-size runs each image at its own size; drop --width/--height and --save-pipeline (a saved pipeline has one input size).");
        if (parse.GetValue(_sizeMultiple) < 1)
            throw new ArgumentException("--size-multiple must be positive.");
        if (width is null != height is null)
            throw new ArgumentException("Give --width and --height together.");
        var colormap = parse.GetValue(_colormap)!;
        _ = Colormaps.FromName(colormap); // an unknown name fails now, with the list of valid ones, not at the first picture
        return new RunOptions
        {
            ModelPath = pipeline is not null ? null : parse.GetValue(_model) ?? (_bundled ? BundledAssets.FindSeedModel() : throw new ArgumentException("Give --model M.onnx or --pipeline featuremaps.zip.")),
            PipelinePath = pipeline,
            ImagesPath = parse.GetValue(_images) ?? BundledAssets.FindSampleImages(),
            OutPath = parse.GetValue(_out)!,
            Layers = parse.GetValue(_layers) ?? [],
            Preprocessing = InputPreprocessing.Parse(parse.GetValue(_preprocess)!),
            InputModelPath = parse.GetValue(_inputModel),
            Colormap = colormap,
            Normalization = Normalizations[parse.GetValue(_normalize)!],
            Scope = Scopes[parse.GetValue(_scope)!],
            Columns = columns,
            MaxChannels = maxChannels,
            ChannelChoice = ChannelChoices[parse.GetValue(_channels)!],
            Spacing = spacing,
            Width = width,
            Height = height,
            Resize = Resizes[parse.GetValue(_resize)!],
            NativeSizeMultiple = nativeSize ? parse.GetValue(_sizeMultiple) : null,
            MaxActivationBytes = maxActivationMb is { } budget ? (long)Math.Max(1, budget * 1024 * 1024) : null,
            Recursive = parse.GetValue(_recursive),
            SavePipelinePath = parse.GetValue(_savePipeline),
            Shard = parse.GetValue(_shard) is { } shard ? Shard.Parse(shard, Environment.GetEnvironmentVariable) : Shard.All,
            Resume = resume,
            // The bare command is a demo: running it again replaces its results instead of refusing.
            Overwrite = parse.GetValue(_overwrite) || (_bundled && !resume),
            TutorialFigure = parse.GetValue(_tutorialFigure),
            Pgm = parse.GetValue(_pgm),
        };
    }
}
