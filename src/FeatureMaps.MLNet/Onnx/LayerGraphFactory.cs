using FeatureMaps.MLNet.Transforms;
using Onnx;

namespace FeatureMaps.MLNet.Onnx;

/// <summary>
/// Builds the graph that <c>ExtractLayerOutputs</c> runs: the user's model with preprocessing in front
/// and every selected layer exposed as an output, converted to float and laid out as H x W x C without
/// the batch axis, so ML.NET's stock ONNX transformer can run (and persist) it.
/// </summary>
internal static class LayerGraphFactory
{
    /// <param name="model">The user's model (not modified).</param>
    /// <param name="input">Its image input.</param>
    /// <param name="imageColumn">The name of the image column, which becomes the graph's input name.</param>
    /// <param name="imageDims">Height, width, channels of the image column.</param>
    /// <param name="preprocessing">Pixel preprocessing.</param>
    /// <param name="outputs">Tensor to expose, with its column name.</param>
    /// <param name="probedShapes">Output shapes from a probe run; null for the probe graph itself, whose outputs are the raw tensors.</param>
    public static ModelProto Build(ModelProto model, ModelInput input, string imageColumn, (int H, int W, int C) imageDims,
        InputPreprocessing preprocessing, IReadOnlyList<ExposedTensor> outputs, IReadOnlyDictionary<string, long[]>? probedShapes)
    {
        var result = model.Clone();
        var graph = result.Graph;
        var builder = new GraphBuilder(graph, "layers");
        var names = graph.Node.SelectMany(n => n.Output).Concat(graph.Initializer.Select(i => i.Name)).ToHashSet();
        if (names.Contains(imageColumn) && imageColumn != input.Name)
            throw new ArgumentException($"Column name '{imageColumn}' is also a tensor name inside the model; choose another image column name.");

        // The model's input becomes an internal tensor computed by the preprocessing nodes.
        var modelInput = input.Name;
        if (modelInput == imageColumn)
        {
            modelInput = builder.NewName("model_input");
            foreach (var node in graph.Node)
                for (var i = 0; i < node.Input.Count; i++)
                    if (node.Input[i] == input.Name) node.Input[i] = modelInput;
        }
        graph.Input.Clear();
        graph.Input.Add(GraphBuilder.TensorInfo(imageColumn, TensorElementKind.Float, [1, imageDims.H, imageDims.W, imageDims.C]));
        AddPreprocessing(builder, imageColumn, modelInput, input, imageDims.C, preprocessing);

        graph.Output.Clear();
        graph.ValueInfo.Clear(); // declared intermediate shapes may hold the model's own symbolic sizes; ORT re-infers them
        foreach (var exposed in outputs)
        {
            var tensor = exposed.Tensor;
            if (exposed.ElementKind != TensorElementKind.Float)
                tensor = builder.Cast(tensor, TensorElementKind.Float);
            if (exposed.Layout == TensorLayout.NCHW)
                tensor = builder.Transpose(tensor, 0, 2, 3, 1);
            if (probedShapes is null)
            {
                var probe = builder.Node("Identity", [tensor], exposed.Column);
                graph.Output.Add(new ValueInfoProto { Name = probe });
                continue;
            }
            // Drop the batch axis: the column holds one image's maps as H x W x C.
            var shape = probedShapes[exposed.Column];
            var dims = shape.Length > 1 ? shape[1..] : shape;
            builder.Reshape(tensor, dims, exposed.Column);
            graph.Output.Add(GraphBuilder.TensorInfo(exposed.Column, TensorElementKind.Float, dims));
        }
        PipelineFormat.Stamp(result, "layers");
        return result;
    }

    private static void AddPreprocessing(GraphBuilder builder, string image, string modelInput, ModelInput input, int channels, InputPreprocessing pre)
    {
        var x = image;
        if (pre.Order == ChannelOrder.Bgr && channels >= 3)
        {
            long[] order = channels == 4 ? [2, 1, 0, 3] : [2, 1, 0];
            x = builder.Node("Gather", [x, builder.Int64s("bgr", order)], null, GraphBuilder.Int("axis", 3));
        }
        var scale = pre.PerChannel(pre.Scale, channels, "scale");
        var mean = pre.PerChannel(pre.Mean, channels, "mean");
        var std = pre.PerChannel(pre.Std, channels, "std");
        if (scale.Any(v => v != 1f)) x = builder.Node("Mul", [x, builder.Floats("scale", scale, channels)]);
        if (mean.Any(v => v != 0f)) x = builder.Node("Sub", [x, builder.Floats("mean", mean, channels)]);
        if (std.Any(v => v != 1f)) x = builder.Node("Div", [x, builder.Floats("std", std, channels)]);
        if (input.Layout == TensorLayout.NCHW) x = builder.Transpose(x, 0, 3, 1, 2);
        if (input.ElementKind != TensorElementKind.Float) x = builder.Cast(x, input.ElementKind);
        builder.Node("Identity", [x], modelInput);
    }
}

/// <summary>A model tensor exposed as a column of the generated graph.</summary>
internal sealed record ExposedTensor(string Tensor, string Column, TensorElementKind ElementKind, TensorLayout Layout);
