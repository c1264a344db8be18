namespace FeatureMaps.MLNet.Onnx;

/// <summary>An input the model needs to be fed (graph inputs that are not initializers).</summary>
/// <param name="Name">The input's name.</param>
/// <param name="ElementKind">The element type.</param>
/// <param name="Shape">The declared shape.</param>
/// <param name="Layout">NCHW or NHWC for 4-D image inputs.</param>
public sealed record ModelInput(string Name, TensorElementKind ElementKind, IReadOnlyList<TensorDimension> Shape, TensorLayout Layout)
{
    /// <summary>Image geometry (height, width, channels), taken from the declared layout.</summary>
    public (TensorDimension Height, TensorDimension Width, TensorDimension Channels) ImageGeometry => Layout switch
    {
        TensorLayout.NHWC => (Shape[1], Shape[2], Shape[3]),
        TensorLayout.NCHW => (Shape[2], Shape[3], Shape[1]),
        _ => throw new InvalidOperationException($"Model input '{Name}' has shape [{string.Join(",", Shape)}]; expected a 4-D image tensor."),
    };
}
