using Onnx;

namespace FeatureMaps.MLNet.Onnx;

/// <summary>
/// The model an estimator runs on an image column: its graph, what it computes, and the optional model that runs in
/// front of it (preprocessing), read and checked the same way by every model-running estimator.
/// </summary>
internal sealed record ImageModel(ModelProto Proto, OnnxModelDescription Description, FrontModel? Front)
{
    /// <summary>Reads both files; a main model with several inputs fails here, naming them.</summary>
    public static ImageModel Read(string modelPath, string? inputModelPath)
    {
        var proto = OnnxModelFile.Read(modelPath);
        var description = OnnxModelInspector.Describe(modelPath, proto);
        _ = description.ImageInput;
        return new ImageModel(proto, description, FrontModel.Read(inputModelPath));
    }
}
