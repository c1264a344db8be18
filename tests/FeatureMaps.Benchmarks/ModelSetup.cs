using FeatureMaps.MLNet.Onnx;
using FeatureMaps.MLNet.Transforms;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace FeatureMaps.Benchmarks;

/// <summary>
/// What the variants share about a workload: the library's own choice of tensors (so every variant fetches the
/// same ones) and, for the hand-written variants, a copy of the model with those tensors added as graph outputs
/// and the image input fixed to the workload's size.
/// </summary>
internal sealed class ModelSetup
{
    private ModelSetup(Workload workload, ExtractLayerOutputsOptions options, ExtractLayerOutputsEstimator estimator, string exposedModelPath)
    {
        Workload = workload;
        ExtractOptions = options;
        Estimator = estimator;
        ExposedModelPath = exposedModelPath;
    }

    public Workload Workload { get; }

    /// <summary>The options variant (c) runs with.</summary>
    public ExtractLayerOutputsOptions ExtractOptions { get; }

    /// <summary>The library's estimator: its selected layers and model outputs are what every variant fetches.</summary>
    public ExtractLayerOutputsEstimator Estimator { get; }

    /// <summary>The main model with every fetched tensor exposed as a graph output and a fixed input size.</summary>
    public string ExposedModelPath { get; }

    /// <summary>The feature-map layers shown as belts.</summary>
    public IReadOnlyList<LayerTensor> Layers => Estimator.SelectedLayers;

    /// <summary>Every tensor fetched: the selected layers, then the model's own outputs (as (c) fetches them).</summary>
    public IReadOnlyList<string> FetchedTensors =>
        Estimator.SelectedLayers.Select(l => l.Tensor).Concat(Estimator.ModelOutputs.Select(o => o.Tensor)).Distinct().ToList();

    /// <summary>The main model's image input.</summary>
    public ModelInput MainInput => Estimator.Model.ImageInput;

    /// <summary>The input the pixels feed: the front model's when there is one.</summary>
    public ModelInput PixelInput => Estimator.ImageInput;

    public static ModelSetup Create(MLContext ml, Workload workload, int? gpuDeviceId, string workDir)
    {
        var options = new ExtractLayerOutputsOptions
        {
            ModelPath = workload.ModelPath,
            InputModelPath = workload.InputModelPath,
            Preprocessing = workload.Preprocessing,
            GpuDeviceId = gpuDeviceId,
        };
        var estimator = ml.Transforms.ExtractLayerOutputs(options);
        var exposed = Path.Combine(workDir, $"{workload.Id}.exposed.onnx");
        var setup = new ModelSetup(workload, options, estimator, exposed);
        WriteExposedCopy(setup, workload.ModelPath, setup.MainInput, setup.FetchedTensors, workload, exposed);
        return setup;
    }

    /// <summary>The shape the pixels have as the model's input tensor: [1, H, W, C] or [1, C, H, W].</summary>
    public static long[] TensorShape(ModelInput input, int height, int width)
    {
        var channels = input.ImageGeometry.Channels.Size ?? 3;
        return input.Layout == TensorLayout.NCHW ? [1, channels, height, width] : [1, height, width, channels];
    }

    /// <summary>Every fetched tensor's shape for one image, from a run on a black image.</summary>
    public IReadOnlyDictionary<string, long[]> Shapes { get; private set; } = new Dictionary<string, long[]>();

    private static void WriteExposedCopy(ModelSetup setup, string modelPath, ModelInput input, IReadOnlyList<string> tensors, Workload workload, string target)
    {
        ModelProto model;
        using (var stream = File.OpenRead(modelPath))
            model = ModelProto.Parser.ParseFrom(stream);
        var graph = model.Graph;

        // Fix the image input's free dimensions (batch, and H/W of fully convolutional models) to this run's size.
        var declared = graph.Input.Single(i => i.Name == input.Name);
        var (h, w, _) = input.ImageGeometry;
        var shape = TensorShape(input, (int?)h.Size ?? workload.Height, (int?)w.Size ?? workload.Width);
        var dims = declared.Type.TensorType.Shape.Dim;
        for (var i = 0; i < dims.Count && i < shape.Length; i++)
            if (dims[i].ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || dims[i].DimValue <= 0)
                dims[i] = new TensorShapeProto.Types.Dimension { DimValue = shape[i] };
        var inputShape = dims.Select(d => d.DimValue).ToArray();

        // ONNX Runtime infers the types of untyped outputs; ML.NET's ONNX transformer needs them declared, so a
        // probe run on a black image gives each one's element type and shape.
        var declaredOutputs = graph.Output.Select(o => o.Name).ToHashSet();
        var added = tensors.Where(declaredOutputs.Add).ToList();
        foreach (var tensor in added)
            graph.Output.Add(new ValueInfoProto { Name = tensor });
        var shapes = new Dictionary<string, long[]>();
        using (var session = new InferenceSession(model.ToByteArray()))
        using (var black = OrtValue.CreateTensorValueFromMemory(new float[inputShape.Aggregate(1L, (a, b) => a * b)], inputShape))
        using (var runOptions = new RunOptions())
        using (var outputs = session.Run(runOptions, [input.Name], [black], tensors.ToArray()))
        {
            foreach (var (name, value) in tensors.Zip(outputs))
            {
                var info = value.GetTensorTypeAndShape();
                shapes[name] = info.Shape;
                if (graph.Output.FirstOrDefault(o => o.Name == name && o.Type is null) is { } output)
                {
                    var type = new TypeProto.Types.Tensor { ElemType = (int)info.ElementDataType, Shape = new TensorShapeProto() };
                    foreach (var d in info.Shape) type.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
                    output.Type = new TypeProto { TensorType = type };
                }
            }
        }
        setup.Shapes = shapes;
        File.WriteAllBytes(target, model.ToByteArray());
    }
}
