using Microsoft.ML.OnnxRuntime;

namespace FeatureMaps.MLNet.Execution;

/// <summary>
/// The tensors of one row in flight for one set of read outputs: made once, lent to a row or cursor at a time by the
/// <see cref="GraphTransformer"/> that owns them, so reading a row allocates nothing in proportion to its tensors even
/// where rows are made one per image (the library's reader, prediction engines).
/// </summary>
internal sealed class RowBuffers : IDisposable
{
    public RowBuffers(GraphTransformer graph, bool[] activeOutputs)
    {
        ActiveOutputs = activeOutputs;
        Inputs = activeOutputs.Any(a => a) ? graph.Inputs.Select(TensorBuffer.For).ToArray() : [];
        InputValues = Inputs.Select(b => b.Value).ToArray();
        Outputs = graph.Outputs.Select((spec, i) => activeOutputs[i] ? TensorBuffer.For(spec) : null).ToArray();
        Fetched = graph.Outputs.Where((_, i) => activeOutputs[i]).Select(o => o.Name).ToArray();
        FetchedValues = Outputs.OfType<TensorBuffer>().Select(b => b.Value).ToArray();
    }

    public bool[] ActiveOutputs { get; }

    public TensorBuffer[] Inputs { get; }

    public OrtValue[] InputValues { get; }

    /// <summary>Per graph output, its buffer when it is read, else null.</summary>
    public TensorBuffer?[] Outputs { get; }

    public string[] Fetched { get; }

    public OrtValue[] FetchedValues { get; }

    public RunOptions RunOptions { get; } = new();

    /// <summary>The pool key: which outputs are read.</summary>
    public static string Key(bool[] activeOutputs) => string.Concat(activeOutputs.Select(a => a ? '1' : '0'));

    public void Dispose()
    {
        foreach (var buffer in Inputs) buffer.Dispose();
        foreach (var buffer in Outputs) buffer?.Dispose();
        RunOptions.Dispose();
    }
}
