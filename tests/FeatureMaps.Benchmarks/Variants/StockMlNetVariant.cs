using FeatureMaps.MLNet.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Image;

namespace FeatureMaps.Benchmarks.Variants;

/// <summary>
/// (b) What a user writes today with stock ML.NET: LoadImages, ResizeImages, pixels through a small custom
/// mapping over <see cref="MLImage.GetBGRPixels"/> (ExtractPixels throws MissingMethodException with SkiaSharp 3),
/// ApplyOnnxModel on the model copy with the same tensors exposed, then the tutorial's normalization and belt in
/// user code over a cursor.
/// </summary>
internal sealed class StockMlNetVariant : IVariant
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> _rowThreads = new();
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly List<(string Column, LayerTensor Layer, int Channels, int Height, int Width, bool Nchw)> _layers = [];

    public StockMlNetVariant(MLContext ml, VariantContext context)
    {
        _ml = ml;
        var setup = context.Setup;
        var workload = context.Workload;
        int? gpu = context.Cuda ? 0 : null;
        var pixelInput = setup.PixelInput;
        var shape = ModelSetup.TensorShape(pixelInput, workload.Height, workload.Width);
        var filler = new PixelFiller(workload.Preprocessing, pixelInput.Layout, workload.Height, workload.Width);

        // The custom mapping's output column is the model input, with the shape given at run time.
        var pixelsDefinition = SchemaDefinition.Create(typeof(PixelRow));
        pixelsDefinition[0].ColumnName = pixelInput.Name;
        pixelsDefinition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, shape.Select(d => (int)d).ToArray());
        Action<ResizedRow, PixelRow> toPixels = (source, destination) =>
        {
            _rowThreads.TryAdd(Environment.CurrentManagedThreadId, 0);
            var bgr = source.Resized!.GetBGRPixels;
            var pixels = destination.Pixels.Length == filler.Length ? destination.Pixels : new float[filler.Length];
            filler.Fill(bgr, 3, 2, 0, pixels);
            destination.Pixels = pixels;
        };

        // What [ImageType(h, w)] on ResizedRow.Resized does for a size known at compile time: tells ML.NET's typed
        // rows that an Image<h, w> column is read into an MLImage.
        new ImageTypeAttribute(workload.Height, workload.Width).Register();
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<PathRow>());
        var images = ml.Transforms.LoadImages("Image", imageFolder: null, "ImagePath")
            .Append(ml.Transforms.ResizeImages("Resized", workload.Width, workload.Height, "Image", ImageResizingEstimator.ResizingKind.Fill))
            .Fit(empty);
        var resized = images.Transform(empty);
        // CustomMapping's estimator compares an image column's type by reference, so an Image<h, w> column only
        // matches the very instance ResizeImages made: the user fits the image steps first and reuses their type.
        var resizedDefinition = SchemaDefinition.Create(typeof(ResizedRow));
        resizedDefinition[0].ColumnType = resized.Schema["Resized"].Type;
        var toTensor = ml.Transforms.CustomMapping(toPixels, contractName: null, resizedDefinition, pixelsDefinition).Fit(resized);
        var tensors = toTensor.Transform(resized);

        IEstimator<ITransformer>? scoring = null;
        if (workload.InputModelPath is { } frontPath)
        {
            string frontOutput;
            using (var probe = new InferenceSession(frontPath))
                frontOutput = probe.OutputMetadata.Keys.Single();
            scoring = ml.Transforms.ApplyOnnxModel([frontOutput], [pixelInput.Name], frontPath, gpu, fallbackToCpu: true);
            if (frontOutput != setup.MainInput.Name)
                scoring = scoring.Append(ml.Transforms.CopyColumns(setup.MainInput.Name, frontOutput));
        }
        var fetched = setup.FetchedTensors.ToArray();
        var main = ml.Transforms.ApplyOnnxModel(fetched, [setup.MainInput.Name], setup.ExposedModelPath, gpu, fallbackToCpu: true);
        scoring = scoring is null ? main : scoring.Append(main);
        _model = images.Append(toTensor).Append(scoring.Fit(tensors));

        // The user knows each layer's shape (here: one probe run of the exposed model).
        var shapes = setup.Shapes;
        foreach (var layer in setup.Layers)
        {
            var dims = shapes[layer.Tensor];
            var nchw = layer.Layout == TensorLayout.NCHW;
            var (c, h, w) = nchw ? (dims[1], dims[2], dims[3]) : (dims[3], dims[1], dims[2]);
            _layers.Add((MlNetColumn(layer.Tensor), layer, (int)c, (int)h, (int)w, nchw));
        }
        Threads = $"ApplyOnnxModel: {(workload.InputModelPath is null ? "1 InferenceSession" : "2 InferenceSessions")}, ML.NET's ORT defaults (own intra-op pool per session); ML.NET rows on 2 threads";
    }

    public string Threads { get; }

    /// <summary>ML.NET splits the cursor and maps rows on several threads (DataViewUtils.GetThreadCount: max(2, cores - 1)).</summary>
    public string? Note => $"ML.NET mapped the rows on {_rowThreads.Count} threads (its parallel cursor)";

    public int Pass(IReadOnlyList<string> files, PassMeter meter)
    {
        var data = _ml.Data.LoadFromEnumerable(files.Select(f => new PathRow { ImagePath = f }));
        var result = _model.Transform(data);
        var columns = _layers.Select(l => result.Schema[l.Column]).ToArray();
        using var cursor = result.GetRowCursor(columns);
        var getters = columns.Select(c => cursor.GetGetter<VBuffer<float>>(c)).ToArray();
        var buffers = new VBuffer<float>[columns.Length];
        var belts = _layers.Select(l => new byte[l.Channels * l.Height * l.Width]).ToArray();
        while (cursor.MoveNext())
        {
            for (var i = 0; i < getters.Length; i++)
            {
                getters[i](ref buffers[i]);
                var (_, _, c, h, w, nchw) = _layers[i];
                TutorialBelt(buffers[i].GetValues(), c, h, w, nchw, belts[i]);
            }
            meter.ImageDone();
        }
        return 0;
    }

    /// <summary>
    /// The tutorial per channel: <c>x -= x.mean(); x /= x.std(); x *= 64; x += 128; clip(0, 255).astype('uint8')</c>,
    /// then <c>image_belt[:, i*W:(i+1)*W] = x</c>.
    /// </summary>
    internal static void TutorialBelt(ReadOnlySpan<float> x, int channels, int height, int width, bool nchw, byte[] belt)
    {
        var plane = height * width;
        var beltWidth = channels * width;
        for (var c = 0; c < channels; c++)
        {
            int At(int p) => nchw ? c * plane + p : p * channels + c;
            double sum = 0;
            for (var p = 0; p < plane; p++) sum += x[At(p)];
            var mean = sum / plane;
            double squares = 0;
            for (var p = 0; p < plane; p++)
            {
                var d = x[At(p)] - mean;
                squares += d * d;
            }
            var std = Math.Sqrt(squares / plane);
            var scale = std > 0 ? 64 / std : 0;
            for (var p = 0; p < plane; p++)
            {
                var v = (x[At(p)] - mean) * scale + 128;
                belt[p / width * beltWidth + c * width + p % width] = (byte)Math.Clamp(v, 0, 255);
            }
        }
    }

    /// <summary>ML.NET's ONNX transformer names the column of output "x.output" "x".</summary>
    private static string MlNetColumn(string tensor) => tensor.EndsWith(".output", StringComparison.Ordinal) ? tensor.Replace(".output", "") : tensor;

    public void Dispose() { }

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";
    }

    private sealed class ResizedRow
    {
        // A user writes the model's size here; the benchmark sets it per workload through a schema definition.
        [ImageType(1, 1)]
        public MLImage? Resized { get; set; }
    }

    private sealed class PixelRow
    {
        public float[] Pixels { get; set; } = [];
    }
}
