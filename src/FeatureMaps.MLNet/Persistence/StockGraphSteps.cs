using FeatureMaps.MLNet.Execution;
using FeatureMaps.MLNet.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

namespace FeatureMaps.MLNet.Persistence;

/// <summary>
/// Turns the ML.NET ONNX steps of a loaded pipeline back into <see cref="GraphTransformer"/>s where their graph is one
/// this library generated. A saved step is ML.NET's transformer (see <see cref="GraphTransformer"/>), and ML.NET keeps
/// its graph private, so the graph bytes come from the zip: a chain's i-th step lives in the zip folder
/// <c>&lt;chain&gt;/Transform_&lt;i:000&gt;</c>, an ONNX step's graph in the entry <c>OnnxModel</c> there.
/// </summary>
internal static class StockGraphSteps
{
    private const string RootFolder = "TransformerChain";

    /// <summary>The loaded <paramref name="model"/> with its generated-graph steps replaced; the replaced ML.NET steps are disposed.</summary>
    /// <param name="ml">The context the pipeline was loaded with (its ONNX session options apply).</param>
    /// <param name="model">The pipeline as <c>mlContext.Model.Load</c> returned it.</param>
    /// <param name="inputSchema">The pipeline's input schema, from the same load.</param>
    /// <param name="graphs">The zip's <c>OnnxModel</c> entries by folder, as stored (length prefix included).</param>
    public static ITransformer Replace(MLContext ml, ITransformer model, DataViewSchema inputSchema, IReadOnlyDictionary<string, byte[]> graphs) =>
        model is IEnumerable<ITransformer> ? ReplaceIn(ml, model, RootFolder, inputSchema, graphs) : model;

    private static ITransformer ReplaceIn(MLContext ml, ITransformer step, string folder, DataViewSchema input, IReadOnlyDictionary<string, byte[]> graphs)
    {
        if (step is IEnumerable<ITransformer> chain)
        {
            var parts = new List<ITransformer>();
            var schema = input;
            foreach (var part in chain)
            {
                var replaced = ReplaceIn(ml, part, $"{folder}/Transform_{parts.Count:000}", schema, graphs);
                parts.Add(replaced);
                schema = replaced.GetOutputSchema(schema);
            }
            return parts.Zip(chain).All(p => ReferenceEquals(p.First, p.Second)) ? step : new TransformerChain<ITransformer>([.. parts]);
        }
        if (step is not OnnxTransformer stock || !graphs.TryGetValue(folder, out var entry))
            return step;
        var bytes = entry.AsSpan(sizeof(int)).ToArray();
        var graph = global::Onnx.ModelProto.Parser.ParseFrom(bytes);
        var kind = graph.MetadataProps.LastOrDefault(p => p.Key == PipelineFormat.KindKey)?.Value;
        if (kind is null)
            return step; // a model's own ONNX step: not a graph of this library
        var initializers = graph.Graph.Initializer.Select(t => t.Name).ToHashSet();
        var inputs = graph.Graph.Input.Select(i => i.Name).Where(n => !initializers.Contains(n)).ToList();
        var outputs = graph.Graph.Output.Select(o => o.Name).ToList();
        if (!stock.GetOutputSchema(input).Skip(input.Count).Select(c => c.Name).SequenceEqual(outputs))
            return step; // not the step this folder's graph belongs to: leave ML.NET's
        // The model-running graphs use every core, the display graphs one thread each (as when fitted); the execution
        // provider a step was fitted with is not in the zip, so loaded steps run on the CPU.
        var settings = SessionSettings.For(ml.Transforms, kind is "layers" or "cam" ? null : 1, gpuDeviceId: null, fallbackToCpu: true);
        var fast = new GraphTransformer(ml.Transforms, GeneratedGraphFile.Write(bytes), inputs, outputs, settings, input);
        stock.Dispose();
        return fast;
    }
}
