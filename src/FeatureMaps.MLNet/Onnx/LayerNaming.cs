using System.Text.RegularExpressions;

namespace FeatureMaps.MLNet.Onnx;

/// <summary>
/// Maps converter tensor names to the layer names people know: tf2onnx writes <c>conv2d/Relu:0</c>
/// for Keras' <c>conv2d</c>, PyTorch writes <c>/layer1/conv1/Conv_output_0</c> for <c>layer1/conv1</c>.
/// </summary>
internal static partial class LayerNaming
{
    // TensorFlow 2 wraps every tensor of a saved model in these call scopes; they name no layer.
    private static readonly string[] CallScopes = ["StatefulPartitionedCall", "PartitionedCall"];

    public static string LayerOf(string tensorName)
    {
        var name = OutputIndexSuffix().Replace(tensorName, "");
        var segments = name.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        while (segments.Count > 1 && CallScopes.Contains(segments[0]))
            segments.RemoveAt(0);
        if (segments.Count <= 1)
            return segments.Count == 1 ? segments[0] : tensorName;
        // The last segment names the op inside the layer (Relu, BiasAdd, Conv_output_0).
        return string.Join('/', segments.Take(segments.Count - 1));
    }

    [GeneratedRegex(@":\d+$")]
    private static partial Regex OutputIndexSuffix();
}
