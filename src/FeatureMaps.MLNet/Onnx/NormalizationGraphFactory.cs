using FeatureMaps.MLNet.Transforms;
using Onnx;

namespace FeatureMaps.MLNet.Onnx;

/// <summary>
/// Builds the graph that <c>NormalizeForDisplay</c> runs: every input column (float H x W x C) becomes a
/// byte column of the same shape. Non-finite input never throws: NaN counts as 0 and ±Inf is clamped to
/// ±float.MaxValue before the statistics; a channel without spread (a dead one) shows as 128.
/// The arithmetic runs in double, so a value lands on the same side of an integer as a double-precision
/// reference of the tutorial's numpy lines (float32 reductions over 20,000 values drift by ~0.005).
/// </summary>
/// <remarks>
/// Every mode is <c>y = (x - centre) / spread * scale + offset</c> per channel, in that order of operations (so the
/// top of a min-max range is exactly 255, and a value one standard deviation above the mean exactly 192). What a
/// channel without spread needs is decided on its small statistics instead of over the whole map: spread 1, scale 0,
/// offset 128. The map itself then takes six passes in double (subtract, divide, multiply, add, clip, cast) after
/// the statistics, instead of nine. This graph is most of the pipeline's cost on large models.
/// </remarks>
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
            var map = mode switch
            {
                NormalizationMode.Standardize => Standardize(builder, x, axes, scale, offset),
                NormalizationMode.MinMax => Stretch(builder, x,
                    builder.Node("ReduceMin", [x], null, GraphBuilder.Ints("axes", axes), GraphBuilder.Int("keepdims", 1)),
                    builder.Node("ReduceMax", [x], null, GraphBuilder.Ints("axes", axes), GraphBuilder.Int("keepdims", 1))),
                NormalizationMode.Percentile => Percentiles(builder, x, dims, scope, lowPercentile, highPercentile),
                _ => throw new ArgumentOutOfRangeException(nameof(mode)),
            };
            var y = builder.Node("Add", [builder.Node("Mul", [builder.Node("Div", [map.Centred, map.Spread]), map.Scale]), map.Offset]);
            y = builder.Node("Clip", [y, builder.DoubleScalar("zero", 0), builder.DoubleScalar("max", 255)]);
            // Cast truncates toward zero, exactly numpy's astype('uint8') on values already clipped to 0..255.
            builder.Node("Cast", [y], output, GraphBuilder.Int("to", (long)TensorElementKind.UInt8));
        }
        PipelineFormat.Stamp(model, "normalize");
        return model;
    }

    /// <summary>The map's values minus their centre, and the per-channel spread, scale and offset.</summary>
    private sealed record AffineMap(string Centred, string Spread, string Scale, string Offset);

    private static string Sanitize(GraphBuilder b, string x)
    {
        x = b.Node("Where", [b.Node("IsNaN", [x]), b.Scalar("zero", 0f), x]);
        x = b.Node("Clip", [x, b.Scalar("lowest", float.MinValue), b.Scalar("highest", float.MaxValue)]);
        return b.Cast(x, TensorElementKind.Double);
    }

    /// <summary>The tutorial's <c>(x - mean) / std * scale + offset</c>.</summary>
    private static AffineMap Standardize(GraphBuilder b, string x, long[] axes, float scale, float offset)
    {
        var mean = b.Node("ReduceMean", [x], null, GraphBuilder.Ints("axes", axes), GraphBuilder.Int("keepdims", 1));
        var centred = b.Node("Sub", [x, mean]);
        // Population variance (numpy's std() default, ddof = 0).
        var variance = b.Node("ReduceMean", [b.Node("Mul", [centred, centred])], null, GraphBuilder.Ints("axes", axes), GraphBuilder.Int("keepdims", 1));
        var std = b.Node("Sqrt", [variance]);
        return Guarded(b, centred, std, b.DoubleScalar("scale", scale), b.DoubleScalar("offset", offset));
    }

    private static AffineMap Stretch(GraphBuilder b, string x, string low, string high)
    {
        var range = b.Node("Sub", [high, low]);
        return Guarded(b, b.Node("Sub", [x, low]), range, b.DoubleScalar("full", 255), b.DoubleScalar("offset", 0));
    }

    /// <summary>
    /// Where <paramref name="spread"/> is 0 the channel is mid-grey: spread 1 (no division by 0), scale 0, offset 128,
    /// decided per channel on the statistics, not per value.
    /// </summary>
    private static AffineMap Guarded(GraphBuilder b, string centred, string spread, string scale, string offset)
    {
        var degenerate = b.Node("Equal", [spread, b.DoubleScalar("zero", 0)]);
        return new AffineMap(centred,
            b.Node("Where", [degenerate, b.DoubleScalar("one", 1), spread]),
            b.Node("Where", [degenerate, b.DoubleScalar("flat", 0), scale]),
            b.Node("Where", [degenerate, b.DoubleScalar("mid", MidGrey), offset]));
    }

    /// <summary>Nearest-rank percentiles from a sort (TopK ascending) of each channel's values.</summary>
    private static AffineMap Percentiles(GraphBuilder b, string x, long[] dims, NormalizationScope scope, float lowPercentile, float highPercentile)
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
