using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace FeatureMaps.SeedTraining;

/// <summary>
/// Writes <see cref="SeedCnn"/> as an ONNX model (opset 13, IR version 7) shaped like a tf2onnx export of
/// the Keras model: NHWC input, and every NCHW Conv/MaxPool wrapped in Transposes so that each Keras layer's
/// output is an NHWC tensor named after the layer, with its shape declared in value_info.
/// </summary>
internal static class OnnxExporter
{
    public const string InputName = "input";
    public const string OutputName = "dense_2";
    public const string BatchDimension = "batch_size";
    public const string ProducerName = "FeatureMaps.SeedTraining";
    public const long IrVersion = 7;
    public const long OpsetVersion = 13;

    private static readonly long[] ToNchw = [0, 3, 1, 2];
    private static readonly long[] ToNhwc = [0, 2, 3, 1];

    public static ModelProto Build(SeedCnn net, IReadOnlyList<string> classNames)
    {
        var graph = new GraphProto { Name = "seed_cnn" };
        graph.Input.Add(TensorInfo(InputName, SeedCnn.ImageSize, SeedCnn.ImageSize, SeedCnn.ImageChannels));

        string x = InputName;
        x = AddConv(graph, net.Conv1, x);
        x = AddMaxPool(graph, net.Pool1, x);
        x = AddConv(graph, net.Conv2, x);
        x = AddMaxPool(graph, net.Pool2, x);
        x = AddConv(graph, net.Conv3, x);
        x = AddMaxPool(graph, net.Pool3, x);
        x = AddFlatten(graph, x, net.Dense1.Inputs);
        x = AddDense(graph, net.Dense1, x);
        x = AddDense(graph, net.Dense2, x);
        x = AddDense(graph, net.Dense3, x);
        graph.Output.Add(TensorInfo(x, net.ClassCount));

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            Graph = graph,
            DocString = "Keras-tutorial CNN (150x150x3 NHWC) trained on synthetic shapes; seed model for feature-map visualisation.",
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OpsetVersion });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "classes", Value = string.Join(',', classNames) });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "preprocessing", Value = "keras" });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "producer_name", Value = ProducerName });
        return model;
    }

    public static void Save(ModelProto model, string path)
    {
        using FileStream stream = File.Create(path);
        model.WriteTo(stream);
    }

    private static string AddConv(GraphProto graph, ConvReluLayer conv, string input)
    {
        string scope = conv.Name;
        string nchw = AddTranspose(graph, $"{scope}/Conv2D__to_nchw", input, ToNchw);

        // Keras keeps the kernel as HWIO; ONNX Conv wants OIHW.
        int inChannels = conv.InChannels, outChannels = conv.OutChannels;
        int taps = conv.Kernel.Shape[0] * conv.Kernel.Shape[1];
        var oihw = new float[conv.Kernel.Length];
        for (int tap = 0; tap < taps; tap++)
        {
            for (int ci = 0; ci < inChannels; ci++)
            {
                for (int co = 0; co < outChannels; co++)
                {
                    oihw[((co * inChannels) + ci) * taps + tap] = conv.Kernel.Value[((tap * inChannels) + ci) * outChannels + co];
                }
            }
        }

        graph.Initializer.Add(FloatTensor(conv.Kernel.Name, oihw, outChannels, inChannels, conv.Kernel.Shape[0], conv.Kernel.Shape[1]));
        graph.Initializer.Add(FloatTensor(conv.Bias.Name, conv.Bias.Value, outChannels));

        string convOut = AddNode(graph, "Conv", $"{scope}/Conv2D", [nchw, conv.Kernel.Name, conv.Bias.Name],
            Ints("kernel_shape", conv.Kernel.Shape[0], conv.Kernel.Shape[1]),
            Ints("strides", 1, 1),
            Ints("pads", 0, 0, 0, 0),
            Ints("dilations", 1, 1),
            Int("group", 1));
        string relu = AddNode(graph, "Relu", $"{scope}/Relu", [convOut]);
        AddTranspose(graph, $"{scope}/Relu__to_nhwc", relu, ToNhwc, outputName: scope);
        graph.ValueInfo.Add(TensorInfo(scope, conv.OutHeight, conv.OutWidth, outChannels));
        return scope;
    }

    private static string AddMaxPool(GraphProto graph, MaxPoolLayer pool, string input)
    {
        string scope = pool.Name;
        string nchw = AddTranspose(graph, $"{scope}/MaxPool__to_nchw", input, ToNchw);
        string pooled = AddNode(graph, "MaxPool", $"{scope}/MaxPool", [nchw],
            Ints("kernel_shape", 2, 2),
            Ints("strides", 2, 2),
            Ints("pads", 0, 0, 0, 0));
        AddTranspose(graph, $"{scope}/MaxPool__to_nhwc", pooled, ToNhwc, outputName: scope);
        graph.ValueInfo.Add(TensorInfo(scope, pool.OutHeight, pool.OutWidth, pool.Channels));
        return scope;
    }

    /// <summary>Keras' Flatten is a reshape of the NHWC tensor, so the features come out in (h, w, c) order.</summary>
    private static string AddFlatten(GraphProto graph, string input, int features)
    {
        const string scope = "flatten";
        var shape = new TensorProto { Name = $"{scope}/Const:0", DataType = (int)TensorProto.Types.DataType.Int64 };
        shape.Dims.Add(2);
        shape.Int64Data.Add([-1, features]);
        graph.Initializer.Add(shape);
        AddNode(graph, "Reshape", $"{scope}/Reshape", [input, shape.Name], outputName: scope);
        graph.ValueInfo.Add(TensorInfo(scope, features));
        return scope;
    }

    private static string AddDense(GraphProto graph, DenseLayer dense, string input)
    {
        string scope = dense.Name;
        graph.Initializer.Add(FloatTensor(dense.Kernel.Name, dense.Kernel.Value, dense.Inputs, dense.Outputs));
        graph.Initializer.Add(FloatTensor(dense.Bias.Name, dense.Bias.Value, dense.Outputs));
        string product = AddNode(graph, "MatMul", $"{scope}/MatMul", [input, dense.Kernel.Name]);
        string sum = AddNode(graph, "Add", $"{scope}/BiasAdd", [product, dense.Bias.Name]);
        if (dense.Relu)
        {
            AddNode(graph, "Relu", $"{scope}/Relu", [sum], outputName: scope);
        }
        else
        {
            AddNode(graph, "Softmax", $"{scope}/Softmax", [sum], outputName: scope, attributes: Int("axis", -1));
        }

        // The last layer's tensor is the graph output, whose shape the output entry itself declares
        // (value_info is for tensors that are neither inputs nor outputs).
        if (scope != OutputName)
        {
            graph.ValueInfo.Add(TensorInfo(scope, dense.Outputs));
        }

        return scope;
    }

    private static string AddTranspose(GraphProto graph, string nodeName, string input, long[] perm, string? outputName = null) =>
        AddNode(graph, "Transpose", nodeName, [input], outputName, Ints("perm", perm));

    private static string AddNode(GraphProto graph, string opType, string nodeName, string[] inputs, params AttributeProto[] attributes) =>
        AddNode(graph, opType, nodeName, inputs, outputName: null, attributes);

    /// <summary>Adds a node whose single output is <paramref name="outputName"/>, or tf2onnx's "node:0" when none is given.</summary>
    private static string AddNode(GraphProto graph, string opType, string nodeName, string[] inputs, string? outputName, params AttributeProto[] attributes)
    {
        string output = outputName ?? $"{nodeName}:0";
        var node = new NodeProto { OpType = opType, Name = nodeName };
        node.Input.Add(inputs);
        node.Output.Add(output);
        node.Attribute.Add(attributes);
        graph.Node.Add(node);
        return output;
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    private static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static TensorProto FloatTensor(string name, float[] values, params long[] dims)
    {
        // raw_data is little-endian by definition of the format, which is also this process's byte order.
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw_data export assumes a little-endian machine.");
        }

        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())),
        };
        tensor.Dims.Add(dims);
        return tensor;
    }

    /// <summary>A float tensor type whose first dimension is the symbolic batch size.</summary>
    private static ValueInfoProto TensorInfo(string name, params int[] dimsAfterBatch)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        foreach (int dim in dimsAfterBatch)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape },
            },
        };
    }
}
