using FeatureMaps.MLNet.Onnx;
using Google.Protobuf;
using Onnx;

namespace FeatureMaps.MLNet.Tests.Reliability;

/// <summary>Small hand-built ONNX files for the hostile-model cases.</summary>
internal static class TinyModels
{
    /// <summary>Image [1,8,8,3] NHWC -> Transpose -> Relu named <paramref name="layerName"/> (4-D) -> output.</summary>
    public static ModelProto ReluModel(string layerName = "relu", string opType = "Relu", string domain = "")
    {
        var model = GraphBuilder.NewModel("tiny", 13);
        var graph = model.Graph;
        AddNchwImage(graph);
        var relu = new NodeProto { OpType = opType, Domain = domain, Name = "act" };
        relu.Input.Add("nchw");
        relu.Output.Add(layerName);
        graph.Node.Add(relu);
        graph.Output.Add(GraphBuilder.TensorInfo(layerName, TensorElementKind.Float, [1, 3, 8, 8]));
        if (domain.Length > 0) model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = 1 });
        return model;
    }

    /// <summary>
    /// Image [1,8,8,3] NHWC -> Transpose -> Mul by (1, -1, 1) per channel -> Relu named "relu" [1,3,8,8] -> output. Pixels
    /// are never negative after the usual preprocessing, so relu channel 1 is zero on every image (a dead unit) while
    /// channels 0 and 2 are the red and blue input as the network saw it.
    /// </summary>
    public static ModelProto DeadChannelModel()
    {
        var model = GraphBuilder.NewModel("dead-channel", 13);
        var graph = model.Graph;
        AddNchwImage(graph);
        var signs = new TensorProto { Name = "signs", DataType = (int)TensorElementKind.Float };
        signs.Dims.AddRange([1, 3, 1, 1]);
        signs.FloatData.AddRange([1f, -1f, 1f]);
        graph.Initializer.Add(signs);
        var mul = new NodeProto { OpType = "Mul", Name = "flip" };
        mul.Input.AddRange(["nchw", "signs"]);
        mul.Output.Add("flipped");
        var relu = new NodeProto { OpType = "Relu", Name = "act" };
        relu.Input.Add("flipped");
        relu.Output.Add("relu");
        graph.Node.AddRange([mul, relu]);
        graph.ValueInfo.Add(GraphBuilder.TensorInfo("flipped", TensorElementKind.Float, [1, 3, 8, 8]));
        graph.Output.Add(GraphBuilder.TensorInfo("relu", TensorElementKind.Float, [1, 3, 8, 8]));
        return model;
    }

    /// <summary>A dense-only model: [1,4] -> MatMul -> [1,2]. No 4-D tensor anywhere.</summary>
    public static ModelProto DenseModel()
    {
        var model = GraphBuilder.NewModel("dense", 13);
        var graph = model.Graph;
        graph.Input.Add(GraphBuilder.TensorInfo("x", TensorElementKind.Float, [1, 4]));
        var weights = new TensorProto { Name = "w", DataType = (int)TensorElementKind.Float };
        weights.Dims.AddRange([4, 2]);
        weights.FloatData.AddRange(Enumerable.Repeat(0.5f, 8));
        graph.Initializer.Add(weights);
        var matmul = new NodeProto { OpType = "MatMul", Name = "dense" };
        matmul.Input.AddRange(["x", "w"]);
        matmul.Output.Add("y");
        graph.Node.Add(matmul);
        graph.Output.Add(GraphBuilder.TensorInfo("y", TensorElementKind.Float, [1, 2]));
        return model;
    }

    public static string Save(ModelProto model, string path)
    {
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    /// <summary>The tiny models' front: input "image" [1,8,8,3] NHWC and a Transpose to "nchw" [1,3,8,8].</summary>
    private static void AddNchwImage(GraphProto graph)
    {
        graph.Input.Add(GraphBuilder.TensorInfo("image", TensorElementKind.Float, [1, 8, 8, 3]));
        var transpose = new NodeProto { OpType = "Transpose", Name = "to_nchw" };
        transpose.Input.Add("image");
        transpose.Output.Add("nchw");
        transpose.Attribute.Add(GraphBuilder.Ints("perm", 0, 3, 1, 2));
        graph.Node.Add(transpose);
        graph.ValueInfo.Add(GraphBuilder.TensorInfo("nchw", TensorElementKind.Float, [1, 3, 8, 8]));
    }
}
