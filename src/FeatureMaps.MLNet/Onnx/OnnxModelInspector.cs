using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace FeatureMaps.MLNet.Onnx;

/// <summary>Lists the tensors an ONNX model's layers produce, with op type, element type and shape.</summary>
public static class OnnxModelInspector
{
    // Operators that only move or relabel data; a layer made of nothing else is converter plumbing.
    private static readonly HashSet<string> PlumbingOps =
        ["Transpose", "Cast", "Identity", "Shape", "Unsqueeze", "Squeeze", "Constant", "ConstantOfShape", "Size"];

    /// <summary>Reads and describes the model at <paramref name="modelPath"/>.</summary>
    /// <exception cref="OnnxModelException">The file is missing, empty or not an ONNX model.</exception>
    public static OnnxModelDescription Inspect(string modelPath) => Describe(modelPath, OnnxModelFile.Read(modelPath));

    internal static OnnxModelDescription Describe(string modelPath, ModelProto model)
    {
        var graph = model.Graph;
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet();
        var types = DeclaredTypes(graph);
        FillFromRuntime(modelPath, model, types, initializers);

        var ranks = types.ToDictionary(kv => kv.Key, kv => kv.Value.Shape?.Count ?? -1);
        var layouts = LayoutInference.Infer(graph, ranks);

        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).Select(i =>
        {
            var (kind, shape) = types[i.Name];
            return new ModelInput(i.Name, kind, shape ?? [], layouts.GetValueOrDefault(i.Name, TensorLayout.None));
        }).ToList();

        var weights = WeightDerivedTensors(graph, initializers);
        var computed = new List<(int Index, string Tensor, string Op, string Layer)>();
        for (var n = 0; n < graph.Node.Count; n++)
        {
            var node = graph.Node[n];
            if (node.Output.All(weights.Contains)) continue; // weights, even when stored or reshaped by nodes, are not activations
            foreach (var output in node.Output.Where(o => o.Length > 0))
                computed.Add((n, output, node.OpType, LayerNaming.LayerOf(output)));
        }

        // A layer shows once, as its last tensor, named by its first real operator; groups of pure
        // plumbing (tf2onnx's layout Transposes, fp16 Casts) are hidden from the default listing.
        var lastOfLayer = computed.GroupBy(c => c.Layer).ToDictionary(g => g.Key, g => g.Last().Tensor);
        var opOfLayer = computed.GroupBy(c => c.Layer).ToDictionary(g => g.Key,
            g => g.FirstOrDefault(c => !PlumbingOps.Contains(c.Op)).Op);
        var tensors = computed.Select(c =>
        {
            var (kind, shape) = types.TryGetValue(c.Tensor, out var t) ? t : (TensorElementKind.Undefined, null);
            var layerOp = opOfLayer[c.Layer];
            var plumbing = layerOp is null || lastOfLayer[c.Layer] != c.Tensor || !kind.IsDisplayableOrUnknown();
            var layout = shape?.Count == 4 ? layouts.GetValueOrDefault(c.Tensor, TensorLayout.NCHW) : TensorLayout.None;
            return new LayerTensor(c.Index, c.Layer, c.Tensor, plumbing ? c.Op : layerOp!, kind, shape ?? [], layout, plumbing);
        }).ToList();

        var metadata = model.MetadataProps.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        var opset = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
        return new OnnxModelDescription(modelPath, opset, inputs, tensors, graph.Output.Select(o => o.Name).ToList(), metadata);
    }

    /// <summary>Tensors computed from weights alone (Constant nodes, reshaped initializers): parameters, not activations.</summary>
    private static HashSet<string> WeightDerivedTensors(GraphProto graph, HashSet<string> initializers)
    {
        var weights = new HashSet<string>(initializers);
        foreach (var node in graph.Node)
            if (node.OpType == "Constant" || (node.Input.Count > 0 && node.Input.All(i => i.Length == 0 || weights.Contains(i))))
                foreach (var output in node.Output)
                    weights.Add(output);
        return weights;
    }

    private static bool IsDisplayableOrUnknown(this TensorElementKind kind) => kind == TensorElementKind.Undefined || kind.IsDisplayable();

    private static Dictionary<string, (TensorElementKind Kind, IReadOnlyList<TensorDimension>? Shape)> DeclaredTypes(GraphProto graph)
    {
        var types = new Dictionary<string, (TensorElementKind, IReadOnlyList<TensorDimension>?)>();
        foreach (var info in graph.Input.Concat(graph.ValueInfo).Concat(graph.Output))
        {
            var tensor = info.Type?.TensorType;
            if (tensor is null) continue;
            IReadOnlyList<TensorDimension>? shape = tensor.Shape is null ? null : tensor.Shape.Dim.Select(d =>
                d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue > 0
                    ? TensorDimension.Fixed(d.DimValue)
                    : TensorDimension.Symbolic(d.DimParam)).ToList();
            types[info.Name] = ((TensorElementKind)tensor.ElemType, shape);
        }
        return types;
    }

    /// <summary>
    /// Tensors the graph declares no type or shape for get them from ONNX Runtime's own shape inference:
    /// one session (no run) that exposes them as outputs reports what it inferred, symbolic names included.
    /// </summary>
    private static void FillFromRuntime(string modelPath,
        ModelProto model, Dictionary<string, (TensorElementKind Kind, IReadOnlyList<TensorDimension>? Shape)> types,
        HashSet<string> initializers)
    {
        var missing = model.Graph.Node.SelectMany(n => n.Output)
            .Where(o => o.Length > 0 && !initializers.Contains(o) && (!types.TryGetValue(o, out var t) || t.Shape is null || t.Kind == TensorElementKind.Undefined))
            .ToList();
        if (missing.Count == 0) return;

        var probe = model.Clone();
        var existing = probe.Graph.Output.Select(o => o.Name).ToHashSet();
        foreach (var name in missing.Where(existing.Add))
            probe.Graph.Output.Add(new ValueInfoProto { Name = name });
        try
        {
            using var options = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,
                LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            };
            using var session = new InferenceSession(probe.ToByteArray(), options);
            foreach (var name in missing)
            {
                if (!session.OutputMetadata.TryGetValue(name, out var meta) || !meta.IsTensor) continue;
                var shape = meta.Dimensions.Select((d, i) => d > 0
                    ? TensorDimension.Fixed(d)
                    : TensorDimension.Symbolic(meta.SymbolicDimensions.ElementAtOrDefault(i))).ToList();
                types[name] = ((TensorElementKind)(int)meta.ElementDataType, shape);
            }
        }
        catch (OnnxRuntimeException e)
        {
            throw new OnnxModelException(modelPath, $"ONNX Runtime cannot load '{modelPath}': {e.Message}", e);
        }
    }
}
