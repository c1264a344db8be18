using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace FeatureMaps.SeedTraining;

/// <summary>
/// Checks an exported model independently of the exporter: the declared shapes of the Keras-named tensors
/// against the fixed contract below, and ONNX Runtime's (CPU) output on the held-out set against the
/// training code's own forward pass.
/// </summary>
internal static class OnnxVerifier
{
    /// <summary>The NHWC shapes (after the batch dimension) every consumer of the seed model relies on.</summary>
    private static readonly (string Name, long[] Dims)[] ExpectedShapes =
    [
        ("conv2d", [148, 148, 8]),
        ("max_pooling2d", [74, 74, 8]),
        ("conv2d_1", [72, 72, 16]),
        ("max_pooling2d_1", [36, 36, 16]),
        ("conv2d_2", [34, 34, 32]),
        ("max_pooling2d_2", [17, 17, 32]),
        ("flatten", [9248]),
        ("dense", [1024]),
        ("dense_1", [512]),
        ("dense_2", [3]),
    ];

    private const int RunBatch = 50;

    /// <summary>Throws <see cref="InvalidDataException"/> if the model's declared tensors break the contract.</summary>
    public static void CheckDeclaredShapes(string path, IReadOnlyList<string> classNames)
    {
        ModelProto model;
        using (FileStream stream = File.OpenRead(path))
        {
            model = ModelProto.Parser.ParseFrom(stream);
        }

        Require(model.IrVersion == OnnxExporter.IrVersion, $"ir_version is {model.IrVersion}");
        Require(model.OpsetImport.Any(o => o.Domain.Length == 0 && o.Version == OnnxExporter.OpsetVersion), "default-domain opset 13 is not imported");
        Require(model.MetadataProps.Any(p => p.Key == "classes" && p.Value == string.Join(',', classNames)), "metadata 'classes' is missing or wrong");
        Require(model.Graph.Node.All(n => n.Name.Length > 0), "a node has no name");

        var declared = model.Graph.ValueInfo.Concat(model.Graph.Output).Concat(model.Graph.Input).ToDictionary(v => v.Name);
        foreach ((string name, long[] dims) in ExpectedShapes.Prepend((OnnxExporter.InputName, [SeedCnn.ImageSize, SeedCnn.ImageSize, SeedCnn.ImageChannels])))
        {
            Require(declared.TryGetValue(name, out ValueInfoProto? info), $"tensor '{name}' has no declared type");
            TypeProto.Types.Tensor tensor = info!.Type.TensorType;
            Require(tensor.ElemType == (int)TensorProto.Types.DataType.Float, $"'{name}' is not float");
            var shape = tensor.Shape.Dim;
            Require(shape.Count == dims.Length + 1 && shape[0].DimParam == OnnxExporter.BatchDimension, $"'{name}' does not start with the '{OnnxExporter.BatchDimension}' dimension");
            Require(shape.Skip(1).Select(d => d.DimValue).SequenceEqual(dims), $"'{name}' is [{string.Join(", ", shape.Skip(1).Select(d => d.DimValue))}], expected [{string.Join(", ", dims)}]");
        }

        Require(model.Graph.Output.Count == 1 && model.Graph.Output[0].Name == OnnxExporter.OutputName, $"the graph output is not '{OnnxExporter.OutputName}'");
    }

    /// <summary>Runs the held-out images through ONNX Runtime on the CPU and returns its probabilities, [images, classes].</summary>
    public static float[] RunOnnxRuntime(string path, float[][] images, int classCount)
    {
        using var options = new SessionOptions();
        using var session = new InferenceSession(path, options);
        using var runOptions = new RunOptions();
        var probabilities = new float[images.Length * classCount];
        for (int start = 0; start < images.Length; start += RunBatch)
        {
            int count = Math.Min(RunBatch, images.Length - start);
            var input = new float[count * SeedCnn.InputLength];
            for (int n = 0; n < count; n++)
            {
                images[start + n].CopyTo(input, n * SeedCnn.InputLength);
            }

            using OrtValue inputValue = OrtValue.CreateTensorValueFromMemory(input, [count, SeedCnn.ImageSize, SeedCnn.ImageSize, SeedCnn.ImageChannels]);
            using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, [OnnxExporter.InputName], [inputValue], [OnnxExporter.OutputName]);
            ReadOnlySpan<float> output = outputs[0].GetTensorDataAsSpan<float>();
            Require(output.Length == count * classCount, $"ONNX Runtime returned {output.Length} values for {count} images");
            output.CopyTo(probabilities.AsSpan(start * classCount));
        }

        return probabilities;
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException($"Exported model check failed: {problem}.");
        }
    }
}
