using FeatureMaps.MLNet.Transforms;
using Onnx;

namespace FeatureMaps.MLNet.Onnx;

/// <summary>
/// Builds the graph that <c>ComposeBelt</c> runs: the k channel images of each byte H x W x C column are
/// placed side by side (the tutorial's <c>belt[:, i*W:(i+1)*W] = channel i</c>) or wrapped into a grid
/// of <c>columns</c> tiles per row with <c>spacing</c> pixels between tiles.
/// </summary>
internal static class BeltGraphFactory
{
    public static ModelProto Build(IReadOnlyList<BeltColumn> columns, byte background)
    {
        var model = GraphBuilder.NewModel("belt", 13);
        var b = new GraphBuilder(model.Graph, "belt");
        foreach (var (input, output, dims, g, activations) in columns)
        {
            model.Graph.Input.Add(GraphBuilder.TensorInfo(input, TensorElementKind.UInt8, dims));
            model.Graph.Output.Add(GraphBuilder.TensorInfo(output, TensorElementKind.UInt8, [g.Height, g.Width]));
            var x = input;
            // The activations are an input whenever the most-active choice is on (the transformer feeds them), but they
            // reorder only a layer that is capped: one within the cap keeps its channels in index order.
            if (activations is not null)
                model.Graph.Input.Add(GraphBuilder.TensorInfo(activations, TensorElementKind.Float, dims));
            if (activations is not null && g.Channels < dims[2])
            {
                // Most active first: the mean of each channel's raw activations over H x W, NaN ranked last.
                var mean = b.Node("ReduceMean", [activations], null, GraphBuilder.Ints("axes", 0, 1), GraphBuilder.Int("keepdims", 0));
                mean = b.Node("Where", [b.Node("IsNaN", [mean]), b.Scalar("lowest", float.NegativeInfinity), mean]);
                var top = b.MultiNode("TopK", [mean, b.Int64s("k", g.Channels)], 2, GraphBuilder.Int("largest", 1), GraphBuilder.Int("sorted", 1));
                x = b.Node("Gather", [x, top[1]], null, GraphBuilder.Int("axis", 2));
            }
            else if (g.Channels < dims[2])
                x = b.Node("Slice", [x, b.Int64s("starts", 0), b.Int64s("ends", g.Channels), b.Int64s("axes", 2)]);
            if (g.Rows == 1 && g.Spacing == 0)
            {
                // One strip: [H, W, C] -> [H, C, W] -> [H, C*W].
                b.Reshape(b.Transpose(x, 0, 2, 1), [g.TileHeight, g.Channels * g.TileWidth], output);
                continue;
            }
            var tiles = b.Transpose(x, 2, 0, 1); // [C, H, W]
            var slots = g.Rows * g.Columns;
            var s = g.Spacing;
            if (slots > g.Channels || s > 0)
                tiles = b.Node("Pad", [tiles, b.Int64s("pads", 0, 0, 0, slots - g.Channels, s, s), b.UInt8Scalar("background", background)]);
            var (th, tw) = (g.TileHeight + s, g.TileWidth + s);
            var grid = b.Transpose(b.Reshape(tiles, [g.Rows, g.Columns, th, tw]), 0, 2, 1, 3);
            var full = b.Reshape(grid, [g.Rows * th, g.Columns * tw], s == 0 ? output : null);
            if (s > 0) // the last row and column of tiles need no trailing gap
                b.Node("Slice", [full, b.Int64s("starts", 0, 0), b.Int64s("ends", g.Height, g.Width), b.Int64s("axes", 0, 1)], output);
        }
        PipelineFormat.Stamp(model, "belt");
        return model;
    }
}

/// <summary>One belt to compose: display bytes in, belt out; with <paramref name="Activations"/>, the channels shown are the most active.</summary>
internal sealed record BeltColumn(string Input, string Output, long[] Dims, BeltGeometry Geometry, string? Activations);
