using FeatureMaps.MLNet.Transforms;
using Onnx;

namespace FeatureMaps.MLNet.Onnx;

/// <summary>
/// Builds the graph that <c>NormalizeForDisplay</c> runs: every input column (float H x W x C) becomes a
/// byte column of the same shape. Non-finite input never throws: NaN counts as 0 and ±Inf is clamped to
/// ±float.MaxValue before the statistics; a pixel whose normalized value is still undefined shows as 128.
/// The arithmetic runs in double, so a value lands on the same side of an integer as a double-precision
/// reference of the tutorial's numpy lines (float32 reductions over 20,000 values drift by ~0.005).
/// </summary>
internal static class NormalizationGraphFactory
{
    public const float MidGrey = 128f;

    public static ModelProto Build(IReadOnlyList<(string Input, string Output, long[] Dims)> columns,
        NormalizationMode mode, NormalizationScope scope, float scale, float offset, float lowPercentile, float highPercentile)
    {
        var model = GraphBuilder.NewModel("normalize", 13);
        var builder = new GraphBuilder(model.Graph, "normalize");
        foreach (var (input, output, dims) in columns)
        {
            model.Graph.Input.Add(GraphBuilder.TensorInfo(input, TensorElementKind.Float, dims));
            model.Graph.Output.Add(GraphBuilder.TensorInfo(output, TensorElementKind.UInt8, dims));
            var x = Sanitize(builder, input);
            // Statistics over the spatial axes per channel, or over everything per layer.
            long[] axes = scope == NormalizationScope.PerChannel ? [0, 1] : [0, 1, 2];
            var (y, degenerate) = mode switch
            {
                NormalizationMode.Standardize => Standardize(builder, x, axes, scale, offset),
                NormalizationMode.MinMax => Stretch(builder, x,
                    builder.Node("ReduceMin", [x], null, GraphBuilder.Ints("axes", axes), GraphBuilder.Int("keepdims", 1)),
                    builder.Node("ReduceMax", [x], null, GraphBuilder.Ints("axes", axes), GraphBuilder.Int("keepdims", 1))),
                NormalizationMode.Percentile => Percentiles(builder, x, dims, scope, lowPercentile, highPercentile),
                _ => throw new ArgumentOutOfRangeException(nameof(mode)),
            };
            var mid = builder.DoubleScalar("mid", MidGrey);
            y = builder.Node("Where", [degenerate, mid, y]);
            y = builder.Node("Where", [builder.Node("IsNaN", [y]), mid, y]);
            y = builder.Node("Clip", [y, builder.DoubleScalar("zero", 0), builder.DoubleScalar("max", 255)]);
            // Cast truncates toward zero, exactly numpy's astype('uint8') on values already clipped to 0..255.
            builder.Node("Cast", [y], output, GraphBuilder.Int("to", (long)TensorElementKind.UInt8));
        }
        PipelineFormat.Stamp(model, "normalize");
        return model;
    }

    private static string Sanitize(GraphBuilder b, string x)
    {
        x = b.Node("Where", [b.Node("IsNaN", [x]), b.Scalar("zero", 0f), x]);
        x = b.Node("Clip", [x, b.Scalar("lowest", float.MinValue), b.Scalar("highest", float.MaxValue)]);
        return b.Cast(x, TensorElementKind.Double);
    }

    private static (string Y, string Degenerate) Standardize(GraphBuilder b, string x, long[] axes, float scale, float offset)
    {
        var mean = b.Node("ReduceMean", [x], null, GraphBuilder.Ints("axes", axes), GraphBuilder.Int("keepdims", 1));
        var centered = b.Node("Sub", [x, mean]);
        // Population variance (numpy's std() default, ddof = 0).
        var variance = b.Node("ReduceMean", [b.Node("Mul", [centered, centered])], null, GraphBuilder.Ints("axes", axes), GraphBuilder.Int("keepdims", 1));
        var std = b.Node("Sqrt", [variance]);
        var y = b.Node("Add", [b.Node("Mul", [b.Node("Div", [centered, std]), b.DoubleScalar("scale", scale)]), b.DoubleScalar("offset", offset)]);
        return (y, b.Node("Equal", [std, b.DoubleScalar("zero", 0)]));
    }

    private static (string Y, string Degenerate) Stretch(GraphBuilder b, string x, string low, string high)
    {
        var range = b.Node("Sub", [high, low]);
        var y = b.Node("Mul", [b.Node("Div", [b.Node("Sub", [x, low]), range]), b.DoubleScalar("full", 255)]);
        return (y, b.Node("Equal", [range, b.DoubleScalar("zero", 0)]));
    }

    /// <summary>Nearest-rank percentiles from a sort (TopK ascending) of each channel's values.</summary>
    private static (string Y, string Degenerate) Percentiles(GraphBuilder b, string x, long[] dims, NormalizationScope scope, float lowPercentile, float highPercentile)
    {
        var (h, w, c) = (dims[0], dims[1], dims[2]);
        var perChannel = scope == NormalizationScope.PerChannel;
        var rows = perChannel ? c : 1;
        var count = h * w * c / rows;
        var flat = b.Reshape(b.Transpose(x, 2, 0, 1), [rows, count]);
        var sorted = b.MultiNode("TopK", [flat, b.Int64s("k", count)], 2, GraphBuilder.Int("largest", 0), GraphBuilder.Int("sorted", 1))[0];
        long Rank(float p) => (long)Math.Round(p / 100.0 * (count - 1), MidpointRounding.AwayFromZero);
        long[] statShape = perChannel ? [1, 1, c] : [1, 1, 1];
        var low = b.Reshape(b.Node("Gather", [sorted, b.Int64s("low_rank", Rank(lowPercentile))], null, GraphBuilder.Int("axis", 1)), statShape);
        var high = b.Reshape(b.Node("Gather", [sorted, b.Int64s("high_rank", Rank(highPercentile))], null, GraphBuilder.Int("axis", 1)), statShape);
        return Stretch(b, x, low, high);
    }
}
