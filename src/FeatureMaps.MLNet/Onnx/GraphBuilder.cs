using Onnx;

namespace FeatureMaps.MLNet.Onnx;

/// <summary>
/// Appends nodes and constants to an ONNX graph with unique generated names. Every generated name
/// carries the <c>fm/</c> prefix so it cannot collide with a tensor of the user's model.
/// </summary>
internal sealed class GraphBuilder(GraphProto graph, string scope)
{
    private int _counter;

    public GraphProto Graph { get; } = graph;

    public string NewName(string hint) => $"fm/{scope}/{hint}_{_counter++}";

    public string Node(string opType, IEnumerable<string> inputs, string? output = null, params AttributeProto[] attributes)
    {
        output ??= NewName(opType);
        var node = new NodeProto { OpType = opType, Name = NewName(opType + "_node") };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    public string Floats(string hint, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = NewName(hint), DataType = (int)TensorElementKind.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Scalar(string hint, float value) => Floats(hint, [value]);

    public string DoubleScalar(string hint, double value)
    {
        var tensor = new TensorProto { Name = NewName(hint), DataType = (int)TensorElementKind.Double };
        tensor.DoubleData.Add(value);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A node with several outputs (TopK's values and indices); returns the output names.</summary>
    public string[] MultiNode(string opType, IEnumerable<string> inputs, int outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = NewName(opType + "_node") };
        node.Input.AddRange(inputs);
        for (var i = 0; i < outputs; i++) node.Output.Add(NewName(opType));
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return node.Output.ToArray();
    }

    public string Int64s(string hint, params long[] values)
    {
        var tensor = new TensorProto { Name = NewName(hint), DataType = (int)TensorElementKind.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string UInt8Scalar(string hint, byte value)
    {
        var tensor = new TensorProto { Name = NewName(hint), DataType = (int)TensorElementKind.UInt8, RawData = Google.Protobuf.ByteString.CopyFrom(value) };
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string FloatScalar(string hint, float value)
    {
        var tensor = new TensorProto { Name = NewName(hint), DataType = (int)TensorElementKind.Float };
        tensor.FloatData.Add(value);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Int64Scalar(string hint, long value)
    {
        var tensor = new TensorProto { Name = NewName(hint), DataType = (int)TensorElementKind.Int64 };
        tensor.Int64Data.Add(value);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>
    /// A ReduceMin/Max/Mean/Sum node written for <paramref name="opset"/>: the axes moved from an attribute to an
    /// input in opset 13 for ReduceSum and in opset 18 for the others. Null axes reduce over every axis.
    /// </summary>
    public string Reduce(string opType, string input, long opset, long[]? axes, bool keepDims = true)
    {
        var keep = Int("keepdims", keepDims ? 1 : 0);
        if (axes is null)
            return Node(opType, [input], null, keep);
        var axesAsInput = opset >= 18 || (opType == "ReduceSum" && opset >= 13);
        return axesAsInput
            ? Node(opType, [input, Int64s("axes", axes)], null, keep)
            : Node(opType, [input], null, keep, Ints("axes", axes));
    }

    public string Cast(string input, TensorElementKind to) => Node("Cast", [input], null, Int("to", (long)to));

    public string Transpose(string input, params long[] perm) => Node("Transpose", [input], null, Ints("perm", perm));

    public string Reshape(string input, long[] shape, string? output = null) => Node("Reshape", [input, Int64s("shape", shape)], output);

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static ValueInfoProto TensorInfo(string name, TensorElementKind kind, IEnumerable<long>? dims)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)kind };
        if (dims is not null)
        {
            tensor.Shape = new TensorShapeProto();
            foreach (var d in dims)
                tensor.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }

    public static ModelProto NewModel(string graphName, long opset)
    {
        var model = new ModelProto { IrVersion = 7, ProducerName = "FeatureMaps.MLNet", Graph = new GraphProto { Name = graphName } };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }
}
