using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;

namespace FeatureMaps.Benchmarks.Variants;

/// <summary>
/// (a) The ceiling: a minimal hand-written loop. SkiaSharp decodes (shrinking JPEGs in the DCT, as the library
/// does) and resizes, the pixels go straight into one reused input tensor with the preprocessing applied, and
/// <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// returns the same tensors (c) fetches, as ONNX Runtime made them: no transposes, no copies, no normalization.
/// With <c>runOnly</c> the images are decoded once up front and only <c>Run</c> is timed.
/// </summary>
internal sealed class CeilingVariant : IVariant
{
    private static readonly SKSamplingOptions Sampling = new(SKFilterMode.Linear, SKMipmapMode.Linear);
    private readonly InferenceSession _main;
    private readonly InferenceSession? _front;
    private readonly string[] _mainInput;
    private readonly string[]? _frontInput;
    private readonly string[]? _frontOutput;
    private readonly string[] _outputs;
    private readonly RunOptions _runOptions = new();
    private readonly PixelFiller _filler;
    private readonly long[] _shape;
    private readonly float[] _input;
    private readonly OrtValue _inputValue;
    private readonly SKBitmap _resized;
    private readonly List<(float[] Data, OrtValue Value)> _premade = [];

    public CeilingVariant(VariantContext context, int? intraOpThreads, bool runOnly)
    {
        var setup = context.Setup;
        var workload = context.Workload;
        string? note = null;
        _main = CreateSession(setup.ExposedModelPath, intraOpThreads, context.Cuda, ref note);
        if (workload.InputModelPath is { } frontPath)
        {
            _front = CreateSession(frontPath, intraOpThreads, context.Cuda, ref note);
            _frontInput = [_front.InputMetadata.Keys.Single()];
            _frontOutput = [_front.OutputMetadata.Keys.Single()];
        }
        _mainInput = [setup.MainInput.Name];
        _outputs = setup.FetchedTensors.ToArray();
        _filler = new PixelFiller(workload.Preprocessing, setup.PixelInput.Layout, workload.Height, workload.Width);
        _shape = ModelSetup.TensorShape(setup.PixelInput, workload.Height, workload.Width);
        _input = new float[_filler.Length];
        _inputValue = OrtValue.CreateTensorValueFromMemory(_input, _shape);
        _resized = new SKBitmap(new SKImageInfo(workload.Width, workload.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        Threads = intraOpThreads is { } t
            ? $"1 InferenceSession{(_front is null ? "" : " (+1 for the input model)")}, intra-op {t}"
            : $"1 InferenceSession{(_front is null ? "" : " (+1 for the input model)")}, ORT defaults (intra-op 0 = one per core)";
        Note = note;
        if (runOnly)
        {
            foreach (var source in context.Sources)
            {
                var data = new float[_filler.Length];
                DecodeInto(source, data);
                _premade.Add((data, OrtValue.CreateTensorValueFromMemory(data, _shape)));
            }
        }
    }

    public string Threads { get; }

    public string? Note { get; }

    public int Pass(IReadOnlyList<string> files, PassMeter meter)
    {
        for (var i = 0; i < files.Count; i++)
        {
            if (_premade.Count > 0)
            {
                Run(_premade[i % _premade.Count].Value);
            }
            else
            {
                DecodeInto(files[i], _input);
                Run(_inputValue);
            }
            meter.ImageDone();
        }
        return 0;
    }

    private void Run(OrtValue input)
    {
        if (_front is null)
        {
            using var outputs = _main.Run(_runOptions, _mainInput, [input], _outputs);
            return;
        }
        using var prepared = _front.Run(_runOptions, _frontInput!, [input], _frontOutput!);
        using var results = _main.Run(_runOptions, _mainInput, [prepared.First()], _outputs);
    }

    private void DecodeInto(string path, Span<float> destination)
    {
        using var codec = SKCodec.Create(path) ?? throw new InvalidDataException($"Cannot decode '{path}'.");
        var stored = codec.Info.Size;
        var scale = Math.Max((float)_resized.Width / stored.Width, (float)_resized.Height / stored.Height);
        var size = stored;
        if (scale < 1f)
        {
            var scaled = codec.GetScaledDimensions(MathF.Min(1f, MathF.Ceiling(scale * 8f) / 8f));
            if (scaled.Width >= stored.Width * scale && scaled.Height >= stored.Height * scale) size = scaled;
        }
        using var decoded = new SKBitmap(new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var result = codec.GetPixels(decoded.Info, decoded.GetPixels());
        if (result != SKCodecResult.Success)
            throw new InvalidDataException($"Cannot decode '{path}': {result}.");
        if (!decoded.ScalePixels(_resized, Sampling))
            throw new InvalidOperationException($"Cannot resize '{path}'.");
        _filler.Fill(_resized.GetPixelSpan(), 4, 0, 2, destination);
    }

    internal static InferenceSession CreateSession(string modelPath, int? intraOpThreads, bool cuda, ref string? note)
    {
        var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        if (intraOpThreads is { } threads) options.IntraOpNumThreads = threads;
        if (cuda)
        {
            try
            {
                options.AppendExecutionProvider_CUDA(0);
                return new InferenceSession(modelPath, options);
            }
            catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
            {
                note = $"CUDA execution provider unavailable: {Cuda.FirstLine(e.Message)}; running on CPU";
                options.Dispose();
                options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
                if (intraOpThreads is { } t) options.IntraOpNumThreads = t;
            }
        }
        return new InferenceSession(modelPath, options);
    }

    public void Dispose()
    {
        foreach (var (_, value) in _premade) value.Dispose();
        _inputValue.Dispose();
        _resized.Dispose();
        _runOptions.Dispose();
        _front?.Dispose();
        _main.Dispose();
        GC.KeepAlive(_input);
    }
}

/// <summary>Checks once whether the CUDA execution provider can run at all.</summary>
internal static class Cuda
{
    /// <summary>Null when CUDA works, else why not.</summary>
    public static string? Unavailable()
    {
        try
        {
            using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            options.AppendExecutionProvider_CUDA(0);
            using var session = new InferenceSession(IdentityModel(), options);
            return null;
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException or ExternalException)
        {
            return FirstLine(e.Message);
        }
    }

    public static string FirstLine(string message) =>
        message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? message;

    private static byte[] IdentityModel()
    {
        var model = new Onnx.ModelProto { IrVersion = 7, Graph = new Onnx.GraphProto { Name = "probe" } };
        model.OpsetImport.Add(new Onnx.OperatorSetIdProto { Domain = "", Version = 13 });
        var node = new Onnx.NodeProto { OpType = "Identity", Name = "id" };
        node.Input.Add("x");
        node.Output.Add("y");
        model.Graph.Node.Add(node);
        Onnx.ValueInfoProto Info(string name)
        {
            var tensor = new Onnx.TypeProto.Types.Tensor { ElemType = 1, Shape = new Onnx.TensorShapeProto() };
            tensor.Shape.Dim.Add(new Onnx.TensorShapeProto.Types.Dimension { DimValue = 1 });
            return new Onnx.ValueInfoProto { Name = name, Type = new Onnx.TypeProto { TensorType = tensor } };
        }
        model.Graph.Input.Add(Info("x"));
        model.Graph.Output.Add(Info("y"));
        return Google.Protobuf.MessageExtensions.ToByteArray(model);
    }
}
