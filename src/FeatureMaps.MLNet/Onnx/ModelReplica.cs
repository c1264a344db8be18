using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;

namespace FeatureMaps.MLNet.Onnx;

/// <summary>
/// The model's nodes, ready to be copied into a loop body that runs the model on several altered inputs at once
/// (Score-CAM's masked images, occlusion's patched ones). Many exported graphs fix the batch at 1 in Reshape shape
/// constants; <see cref="Create"/> makes those copy the batch dimension instead (a 0 in an ONNX Reshape shape copies
/// the input's dimension) and keeps the batched form only if it gives the same scores as single runs.
/// </summary>
internal sealed class ModelReplica
{
    private const string Prefix = "fm/replica/";

    private ModelReplica(IReadOnlyList<NodeProto> nodes, IReadOnlyList<TensorProto> shapes, int batchSize, string? whySequential)
    {
        Nodes = nodes;
        PatchedShapes = shapes;
        BatchSize = batchSize;
        WhySequential = whySequential;
    }

    /// <summary>The model's nodes (with batch-free Reshape shapes when batched).</summary>
    public IReadOnlyList<NodeProto> Nodes { get; }

    /// <summary>Reshape shapes rewritten for batches, under new names; they go into the enclosing graph.</summary>
    public IReadOnlyList<TensorProto> PatchedShapes { get; }

    /// <summary>Inputs per model run.</summary>
    public int BatchSize { get; }

    /// <summary>Why the model runs one input at a time, or null when it is batched (or a batch of 1 was asked for).</summary>
    public string? WhySequential { get; }

    /// <param name="model">The main model (not modified).</param>
    /// <param name="input">Its image input.</param>
    /// <param name="inputShape">The input's concrete shape for one image, batch axis first.</param>
    /// <param name="scoresTensor">The class-score output the copies must compute.</param>
    /// <param name="runs">How many altered inputs there are; the batch size divides it.</param>
    /// <param name="maxBatchSize">The most inputs per run.</param>
    public static ModelReplica Create(ModelProto model, ModelInput input, long[] inputShape, string scoresTensor, int runs, int maxBatchSize)
    {
        var batch = Enumerable.Range(1, Math.Min(maxBatchSize, runs)).Last(b => runs % b == 0);
        if (batch == 1)
            return new ModelReplica(model.Graph.Node.ToList(), [], 1, maxBatchSize > 1 && runs > 1
                ? $"{runs} masked runs have no divisor from 2 to {maxBatchSize}, and every batch must be full"
                : null);
        var patched = model.Clone();
        var shapes = PatchReshapes(patched.Graph);
        var why = WhyBatchFails(patched, input, inputShape, scoresTensor);
        return why is null
            ? new ModelReplica(patched.Graph.Node.ToList(), shapes, batch, null)
            : new ModelReplica(model.Graph.Node.ToList(), [], 1, why);
    }

    /// <summary>Copies the nodes into <paramref name="graph"/>, fed by <paramref name="input"/> in place of the model's input; returns the copy of <paramref name="tensor"/>.</summary>
    public string CopyInto(GraphProto graph, string modelInput, string input, string tensor)
    {
        var produced = Nodes.SelectMany(n => n.Output).ToHashSet();
        string Rename(string name) => name == modelInput ? input : produced.Contains(name) ? Prefix + name : name;
        for (var n = 0; n < Nodes.Count; n++)
        {
            var copy = Nodes[n].Clone();
            copy.Name = $"{Prefix}{n}/{copy.Name}";
            for (var i = 0; i < copy.Input.Count; i++) copy.Input[i] = Rename(copy.Input[i]);
            for (var i = 0; i < copy.Output.Count; i++) copy.Output[i] = Rename(copy.Output[i]);
            graph.Node.Add(copy);
        }
        return Rename(tensor);
    }

    /// <summary>Reshape shapes that start with a fixed 1 get a 0 there (copy the batch dimension); initializers are renamed, Constant nodes edited in place.</summary>
    private static List<TensorProto> PatchReshapes(GraphProto graph)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name);
        var constants = graph.Node.Where(n => n.OpType == "Constant" && n.Output.Count == 1).ToDictionary(n => n.Output[0]);
        var renamed = new Dictionary<string, TensorProto>();
        foreach (var node in graph.Node.Where(n => n.OpType == "Reshape" && n.Input.Count > 1))
        {
            var name = node.Input[1];
            if (initializers.TryGetValue(name, out var tensor) && LeadingOne(tensor) is { } values)
            {
                if (!renamed.TryGetValue(name, out var patched))
                {
                    patched = new TensorProto { Name = Prefix + "shape/" + name, DataType = (int)TensorElementKind.Int64 };
                    patched.Dims.AddRange(tensor.Dims);
                    patched.Int64Data.AddRange(values.Select((v, i) => i == 0 ? 0 : v));
                    renamed[name] = patched;
                }
                node.Input[1] = patched.Name;
            }
            else if (constants.TryGetValue(name, out var constant) && constant.Attribute.FirstOrDefault(a => a.Name == "value")?.T is { } value && LeadingOne(value) is { } constantValues)
            {
                value.RawData = ByteString.Empty;
                value.Int64Data.Clear();
                value.Int64Data.AddRange(constantValues.Select((v, i) => i == 0 ? 0 : v));
            }
        }
        graph.Initializer.AddRange(renamed.Values);
        return renamed.Values.ToList();
    }

    private static long[]? LeadingOne(TensorProto tensor)
    {
        if ((TensorElementKind)tensor.DataType != TensorElementKind.Int64) return null;
        var values = tensor.Int64Data.Count > 0
            ? tensor.Int64Data.ToArray()
            : Enumerable.Range(0, tensor.RawData.Length / sizeof(long)).Select(i => BitConverter.ToInt64(tensor.RawData.Span.Slice(i * sizeof(long), sizeof(long)))).ToArray();
        return values.Length > 1 && values[0] == 1 ? values : null;
    }

    /// <summary>Runs two different inputs as one batch and one by one; the batched graph is kept only if both agree.</summary>
    private static string? WhyBatchFails(ModelProto patched, ModelInput input, long[] inputShape, string scoresTensor)
    {
        var probe = patched.Clone();
        probe.IrVersion = Math.Max(probe.IrVersion, 4);
        var graph = probe.Graph;
        var builder = new GraphBuilder(graph, "batch_probe");
        const string feed = "fm_batch_probe_input";
        // The input is fed as float and cast to the model's type (float16 models), so one probe fits every model.
        graph.Node.Insert(0, new NodeProto { OpType = "Cast", Name = "fm/batch_probe/cast_in", Input = { feed }, Output = { input.Name }, Attribute = { GraphBuilder.Int("to", (long)input.ElementKind) } });
        graph.Input.Clear();
        var info = GraphBuilder.TensorInfo(feed, TensorElementKind.Float, inputShape);
        info.Type.TensorType.Shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimParam = "batch" };
        graph.Input.Add(info);
        var output = builder.Cast(scoresTensor, TensorElementKind.Float);
        graph.Output.Clear();
        graph.Output.Add(new ValueInfoProto { Name = output });
        graph.ValueInfo.Clear();
        LayerGraphFactory.Prune(graph);

        var single = inputShape.Aggregate(1L, (a, b) => a * b);
        var random = new Random(8);
        var values = Enumerable.Range(0, (int)(2 * single)).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        try
        {
            using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            using var session = new InferenceSession(probe.ToByteArray(), options);
            float[] Run(int offset, int count)
            {
                var shape = inputShape.Select(d => (int)d).ToArray();
                shape[0] = count;
                var tensor = new DenseTensor<float>(values.AsMemory(offset * (int)single, count * (int)single), shape);
                using var results = session.Run([NamedOnnxValue.CreateFromTensor(feed, tensor)]);
                var result = results[0].AsTensor<float>();
                if (result.Dimensions.Length == 0 || result.Dimensions[0] != count)
                    throw new InvalidDataException($"a batch of {count} gave output shape [{string.Join(", ", result.Dimensions.ToArray())}]");
                return result.ToArray();
            }
            var both = Run(0, 2);
            var one = Run(0, 1).Concat(Run(1, 1)).ToArray();
            if (both.Length != one.Length)
                return $"a batch of 2 gives {both.Length} scores instead of {one.Length}";
            var worst = both.Zip(one, (a, b) => Math.Abs(a - b) / (1e-3 + Math.Abs(b))).Max();
            return worst < 1e-2 ? null : $"a batch of 2 gives other scores than two single runs (relative difference {worst:G3})";
        }
        catch (Exception e) when (e is OnnxRuntimeException or InvalidDataException)
        {
            return $"the graph fixes the batch at 1 ({e.Message.Split('\n')[0].Trim()})";
        }
    }
}
