using FeatureMaps.MLNet.Transforms;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;

namespace FeatureMaps.MLNet.Onnx;

/// <summary>
/// Builds the graph that <c>ExtractLayerOutputs</c> runs: the user's model with preprocessing in front
/// and every selected layer exposed as an output, converted to float and laid out as H x W x C without
/// the batch axis, so ML.NET's stock ONNX transformer can run (and persist) it.
/// </summary>
internal static class LayerGraphFactory
{
    /// <summary>Builds the layer graph; see the overload that also names the model-input tensor.</summary>
    public static ModelProto Build(ModelProto model, ModelInput input, string imageColumn, (int H, int W, int C) imageDims,
        InputPreprocessing preprocessing, IReadOnlyList<ExposedTensor> outputs, IReadOnlyDictionary<string, long[]>? probedShapes,
        FrontModel? front = null) => Build(model, input, imageColumn, imageDims, preprocessing, outputs, probedShapes, front, out _);

    /// <param name="model">The user's model (not modified).</param>
    /// <param name="input">Its image input.</param>
    /// <param name="imageColumn">The name of the image column, which becomes the graph's input name.</param>
    /// <param name="imageDims">Height, width, channels of the image column.</param>
    /// <param name="preprocessing">Pixel preprocessing.</param>
    /// <param name="outputs">Tensor to expose, with its column name.</param>
    /// <param name="probedShapes">Output shapes from a probe run; null for the probe graph itself, whose outputs are the raw tensors.</param>
    /// <param name="front">A model run between the preprocessing and <paramref name="model"/> (e.g. resnet18's _preprocess.onnx), or null.</param>
    /// <param name="modelInputTensor">The tensor that feeds the model's input inside the graph (after preprocessing and <paramref name="front"/>), for graphs that run the model again on altered inputs.</param>
    public static ModelProto Build(ModelProto model, ModelInput input, string imageColumn, (int H, int W, int C) imageDims,
        InputPreprocessing preprocessing, IReadOnlyList<ExposedTensor> outputs, IReadOnlyDictionary<string, long[]>? probedShapes,
        FrontModel? front, out string modelInputTensor)
    {
        var result = model.Clone();
        // Before IR version 4 every initializer was also an overridable input; ML.NET then inspects the
        // weights as inputs and rejects float16 ones. From version 4 on, initializers are plain constants.
        result.IrVersion = Math.Max(result.IrVersion, 4);
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
        modelInputTensor = modelInput;
        var modelNodes = graph.Node.Count;
        if (front is null)
        {
            AddPreprocessing(builder, imageColumn, modelInput, input, imageDims.C, preprocessing);
        }
        else
        {
            var frontInput = builder.NewName("front_input");
            AddPreprocessing(builder, imageColumn, frontInput, front.Input, imageDims.C, preprocessing);
            front.SpliceInto(graph, frontInput, modelInput);
        }
        // ONNX wants nodes in topological order: the preprocessing goes in front of the model.
        var preprocessingNodes = graph.Node.Skip(modelNodes).ToList();
        for (var i = 0; i < preprocessingNodes.Count; i++)
        {
            graph.Node.RemoveAt(modelNodes + i);
            graph.Node.Insert(i, preprocessingNodes[i]);
        }

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
        Prune(graph);
        MoveHalfPrecisionWeightsIntoConstants(graph);
        PipelineFormat.Stamp(result, "layers");
        return result;
    }

    /// <summary>
    /// One run of a probe graph (built with no probed shapes) on a black image gives every exposed tensor's
    /// concrete shape: ML.NET needs a type and shape for each output, and symbolic or inferred dims only
    /// become numbers once the input is fixed.
    /// </summary>
    public static Dictionary<string, long[]> ProbeShapes(ModelProto probe, string imageColumn, (int H, int W, int C) image, string modelPath)
    {
        try
        {
            using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
            using var session = new InferenceSession(probe.ToByteArray(), options);
            var black = new DenseTensor<float>([1, image.H, image.W, image.C]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(imageColumn, black)]);
            return results.ToDictionary(r => r.Name, r => r.AsTensor<float>().Dimensions.ToArray().Select(d => (long)d).ToArray());
        }
        catch (OnnxRuntimeException e)
        {
            throw new OnnxModelException(modelPath, $"ONNX Runtime cannot run '{modelPath}' on a {image.H}x{image.W}x{image.C} image: {e.Message}", e);
        }
    }

    /// <summary>
    /// ML.NET's ONNX transformer reads the element type of every initializer and has no float16 or
    /// bfloat16 type, so it refuses fp16 models before they run. The same weights held by Constant
    /// nodes are invisible to it and identical to ONNX Runtime.
    /// </summary>
    private static void MoveHalfPrecisionWeightsIntoConstants(GraphProto graph)
    {
        var half = graph.Initializer.Where(t => (TensorElementKind)t.DataType is TensorElementKind.Float16 or TensorElementKind.BFloat16).ToList();
        for (var i = 0; i < half.Count; i++)
        {
            graph.Initializer.Remove(half[i]);
            var constant = new NodeProto { OpType = "Constant", Name = "fm/layers/weight_" + i };
            constant.Output.Add(half[i].Name);
            constant.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = half[i] });
            graph.Node.Insert(i, constant);
        }
    }

    /// <summary>
    /// Drops the nodes and weights no exposed tensor depends on (a model's classifier head when only
    /// early layers are shown), so the runtime neither loads nor computes them.
    /// </summary>
    internal static void Prune(GraphProto graph)
    {
        var needed = graph.Output.Select(o => o.Name).ToHashSet();
        var kept = new List<NodeProto>();
        for (var i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (!node.Output.Any(needed.Contains)) continue;
            kept.Add(node);
            foreach (var input in node.Input) needed.Add(input);
            foreach (var subgraphInput in node.Attribute.Where(a => a.G is not null).SelectMany(a => a.G.Node).SelectMany(n => n.Input))
                needed.Add(subgraphInput); // names a subgraph reads from the enclosing scope
        }
        kept.Reverse();
        graph.Node.Clear();
        graph.Node.AddRange(kept);
        var initializers = graph.Initializer.Where(t => needed.Contains(t.Name)).ToList();
        graph.Initializer.Clear();
        graph.Initializer.AddRange(initializers);
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
