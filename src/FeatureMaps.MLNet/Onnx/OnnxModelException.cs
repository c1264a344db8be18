namespace FeatureMaps.MLNet.Onnx;

/// <summary>A model file that cannot be used, with a message naming the file and what was expected.</summary>
public sealed class OnnxModelException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OnnxModelException(string modelPath, string message, Exception? inner = null)
        : base(message, inner) => ModelPath = modelPath;

    /// <summary>The model file (or a description of the in-memory source).</summary>
    public string ModelPath { get; }
}
