using System.Security.Cryptography;
using Google.Protobuf;
using FeatureMaps.MLNet.Rendering;
using Microsoft.ML;
using Microsoft.ML.Transforms.Onnx;
using Onnx;

namespace FeatureMaps.MLNet.Onnx;

/// <summary>
/// Hands a generated graph to ML.NET's ONNX transformer. Setting ONNX Runtime's thread counts needs
/// <see cref="OnnxOptions"/>, which takes a file, so then the graph is written once per content (named by
/// its hash) under the temp folder; otherwise it goes as a stream. Either way ML.NET copies the bytes into a saved zip.
/// </summary>
internal static class GeneratedGraphFile
{
    public static IEstimator<ITransformer> Apply(TransformsCatalog catalog, ModelProto graph, IEnumerable<string> inputs, IEnumerable<string> outputs,
        int? intraOpThreads, int? gpuDeviceId = null, bool fallbackToCpu = true)
    {
        if (intraOpThreads is null)
            return catalog.ApplyOnnxModel(outputs.ToArray(), inputs.ToArray(), new MemoryStream(graph.ToByteArray()), gpuDeviceId, fallbackToCpu);
        var options = new OnnxOptions
        {
            ModelFile = Write(graph),
            InputColumns = inputs.ToArray(),
            OutputColumns = outputs.ToArray(),
            GpuDeviceId = gpuDeviceId,
            FallbackToCpu = fallbackToCpu,
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
        };
        return catalog.ApplyOnnxModel(options);
    }

    private static string Write(ModelProto graph)
    {
        var bytes = graph.ToByteArray();
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "featuremaps-graphs")).FullName;
        var path = Path.Combine(folder, Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant() + ".onnx");
        if (File.Exists(path) && new FileInfo(path).Length == bytes.Length)
            return path;
        // Atomic: two processes writing the same graph never see each other's half-written file, and a full temp
        // folder is an error naming the file.
        AtomicFile.WriteAllBytes(path, bytes);
        return path;
    }
}
