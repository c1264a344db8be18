using Onnx;

namespace FeatureMaps.MLNet.Onnx;

/// <summary>
/// Decides NCHW or NHWC for every 4-D tensor from the graph itself: ONNX's spatial operators are NCHW,
/// a Transpose with perm (0,2,3,1) produces NHWC, and elementwise operators keep their input's layout.
/// </summary>
internal static class LayoutInference
{
    private static readonly HashSet<string> ChannelsFirstOps =
    [
        "Conv", "ConvTranspose", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "LpPool",
        "BatchNormalization", "InstanceNormalization", "LRN", "DepthToSpace", "SpaceToDepth", "MaxUnpool",
        "ConvInteger", "QLinearConv",
    ];

    public static Dictionary<string, TensorLayout> Infer(GraphProto graph, IReadOnlyDictionary<string, int> ranks)
    {
        var layouts = new Dictionary<string, TensorLayout>();
        foreach (var input in graph.Input)
            if (ranks.GetValueOrDefault(input.Name) == 4)
                layouts[input.Name] = GuessInputLayout(input);

        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output)
            {
                if (ranks.GetValueOrDefault(output) != 4) continue;
                layouts[output] = LayoutOf(node, layouts);
            }
        }
        return layouts;
    }

    private static TensorLayout LayoutOf(NodeProto node, Dictionary<string, TensorLayout> known)
    {
        if (ChannelsFirstOps.Contains(node.OpType))
            return TensorLayout.NCHW;
        if (node.OpType == "Transpose")
        {
            var perm = node.Attribute.FirstOrDefault(a => a.Name == "perm")?.Ints.ToArray();
            if (perm is [0, 2, 3, 1]) return TensorLayout.NHWC;
            if (perm is [0, 3, 1, 2]) return TensorLayout.NCHW;
        }
        foreach (var input in node.Input)
            if (known.TryGetValue(input, out var layout))
                return layout;
        return TensorLayout.NCHW;
    }

    /// <summary>An image input is NHWC when its last axis looks like colour channels and its second does not.</summary>
    private static TensorLayout GuessInputLayout(ValueInfoProto input)
    {
        var dims = input.Type?.TensorType?.Shape?.Dim;
        if (dims is null || dims.Count != 4) return TensorLayout.NCHW;
        static bool IsChannelCount(TensorShapeProto.Types.Dimension d) => d.DimValue is 1 or 3 or 4;
        return IsChannelCount(dims[3]) && !IsChannelCount(dims[1]) ? TensorLayout.NHWC : TensorLayout.NCHW;
    }
}
