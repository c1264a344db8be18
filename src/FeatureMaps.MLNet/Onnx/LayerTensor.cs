namespace FeatureMaps.MLNet.Onnx;

/// <summary>
/// A tensor that a node of the model computes (never a weight, initializer or Constant output),
/// described the way a person thinks of a layer.
/// </summary>
/// <param name="Index">Position in the model's node order.</param>
/// <param name="Layer">The layer name: a Keras or tf2onnx name such as <c>conv2d/Relu:0</c> maps to <c>conv2d</c>.</param>
/// <param name="Tensor">The tensor's name in the ONNX graph.</param>
/// <param name="OpType">The operator that produces the layer (its first non-plumbing op).</param>
/// <param name="ElementKind">The element type.</param>
/// <param name="Shape">The shape as the graph declares or ONNX Runtime infers it; symbolic dims keep their names.</param>
/// <param name="Layout">NCHW or NHWC for 4-D tensors, <see cref="TensorLayout.None"/> otherwise.</param>
/// <param name="IsPlumbing">True for converter plumbing (layout Transposes, Casts, shape arithmetic) hidden from the default listing.</param>
public sealed record LayerTensor(
    int Index,
    string Layer,
    string Tensor,
    string OpType,
    TensorElementKind ElementKind,
    IReadOnlyList<TensorDimension> Shape,
    TensorLayout Layout,
    bool IsPlumbing)
{
    /// <summary>True for rank-4 tensors: the feature maps the tutorial keeps (<c>len(shape) == 4</c>).</summary>
    public bool IsFeatureMap => Shape.Count == 4;

    /// <summary>Why this tensor cannot be shown as feature maps, or null when it can.</summary>
    public string? SkipReason =>
        !ElementKind.IsDisplayable() ? $"{ElementKind.DisplayName()} tensor (only float, float16, bfloat16 and double are shown)"
        : !IsFeatureMap ? $"rank {Shape.Count} (feature maps are rank 4)"
        : null;

    /// <summary>The map geometry as height, width, channels, whichever layout the tensor has.</summary>
    public (TensorDimension Height, TensorDimension Width, TensorDimension Channels) MapGeometry => Layout switch
    {
        TensorLayout.NHWC => (Shape[1], Shape[2], Shape[3]),
        TensorLayout.NCHW => (Shape[2], Shape[3], Shape[1]),
        _ => throw new InvalidOperationException($"Tensor '{Tensor}' of layer '{Layer}' is not a 4-D feature map."),
    };

    /// <summary>The shape without the batch dimension as the tutorial prints it: <c>148x148x8</c> (H x W x C) for maps, <c>9248</c> for vectors.</summary>
    public string DisplayShape => Layout == TensorLayout.None
        ? string.Join("x", Shape.Skip(Shape.Count > 1 ? 1 : 0))
        : $"{MapGeometry.Height}x{MapGeometry.Width}x{MapGeometry.Channels}";
}
