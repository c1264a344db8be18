using Google.Protobuf;
using Onnx;

namespace FeatureMaps.MLNet.Onnx;

/// <summary>Reads ONNX files into protobuf messages, turning every failure into an <see cref="OnnxModelException"/> that names the file.</summary>
internal static class OnnxModelFile
{
    public static ModelProto Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new OnnxModelException(path, $"ONNX model '{path}' does not exist.");
        var length = new FileInfo(path).Length;
        if (length == 0)
            throw new OnnxModelException(path, $"ONNX model '{path}' is empty (0 bytes); expected an ONNX protobuf file.");
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or IOException or UnauthorizedAccessException)
        {
            throw new OnnxModelException(path, $"'{path}' is not an ONNX model ({e.Message}); expected an ONNX protobuf file (.onnx).", e);
        }
        // Protobuf parses many random byte strings without complaint; a real model has a graph with nodes.
        if (model.Graph is null || model.Graph.Node.Count == 0 || model.OpsetImport.Count == 0)
            throw new OnnxModelException(path, $"'{path}' is not an ONNX model: it has no graph nodes or opset; expected an ONNX protobuf file (.onnx).");
        RejectEscapingExternalData(path, model);
        return model;
    }

    /// <summary>
    /// External tensor data is read by ONNX Runtime relative to the model's folder; a location that is
    /// absolute or climbs out with <c>..</c> would read arbitrary files, so it is refused.
    /// </summary>
    private static void RejectEscapingExternalData(string path, ModelProto model)
    {
        foreach (var tensor in model.Graph.Initializer)
        {
            foreach (var entry in tensor.ExternalData)
            {
                if (entry.Key != "location") continue;
                var location = entry.Value;
                var normalized = location.Replace('\\', '/');
                if (Path.IsPathRooted(location) || normalized.StartsWith('/') || normalized.Split('/').Contains(".."))
                    throw new OnnxModelException(path,
                        $"ONNX model '{path}' declares external data '{location}' for tensor '{tensor.Name}' outside the model's folder; only relative paths inside the folder are accepted.");
            }
        }
    }
}
