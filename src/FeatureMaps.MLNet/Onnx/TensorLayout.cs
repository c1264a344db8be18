namespace FeatureMaps.MLNet.Onnx;

/// <summary>How a 4-D activation orders its axes. Decided per tensor, because converters such as tf2onnx
/// keep NHWC at a model's edges and NCHW inside it.</summary>
public enum TensorLayout
{
    /// <summary>Not a 4-D tensor.</summary>
    None,
    /// <summary>Batch, channels, height, width: ONNX's own convention (Conv, MaxPool).</summary>
    NCHW,
    /// <summary>Batch, height, width, channels: Keras and TensorFlow.</summary>
    NHWC,
}
