using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;

namespace FeatureMaps.MLNet.Execution;

/// <summary>
/// Runs a <see cref="GraphTransformer"/>'s graph for the rows of one input row or cursor: at most one ONNX Runtime
/// <c>Run</c> per row, fetching only the outputs that are read, into buffers made once.
/// </summary>
internal sealed class GraphRowRunner : IDisposable
{
    private readonly GraphTransformer _graph;
    private readonly DataViewRow _input;
    private readonly TensorBuffer[] _inputs;
    private readonly OrtValue[] _inputValues;
    private readonly Action[] _readers;
    private readonly TensorBuffer?[] _outputs;
    private readonly string[] _fetched;
    private readonly OrtValue[] _fetchedValues;
    private readonly RunOptions _runOptions = new();
    private long _ranAt = -1;
    private bool _ran;

    /// <param name="graph">The fitted graph.</param>
    /// <param name="input">The row the graph's input columns come from.</param>
    /// <param name="activeOutputs">Per graph output, whether it is read.</param>
    public GraphRowRunner(GraphTransformer graph, DataViewRow input, bool[] activeOutputs)
    {
        _graph = graph;
        _input = input;
        var any = activeOutputs.Any(a => a);
        _inputs = any ? graph.Inputs.Select(TensorBuffer.For).ToArray() : [];
        _inputValues = _inputs.Select(b => b.Value).ToArray();
        _readers = _inputs.Select((buffer, i) => buffer.Reader(input, input.Schema[graph.Inputs[i].Name])).ToArray();
        _outputs = graph.Outputs.Select((spec, i) => activeOutputs[i] ? TensorBuffer.For(spec) : null).ToArray();
        _fetched = graph.Outputs.Where((_, i) => activeOutputs[i]).Select(o => o.Name).ToArray();
        _fetchedValues = _outputs.OfType<TensorBuffer>().Select(b => b.Value).ToArray();
    }

    /// <summary>The getter of graph output <paramref name="index"/>, which must be active.</summary>
    public Delegate Getter(int index) =>
        (_outputs[index] ?? throw new InvalidOperationException($"Output '{_graph.Outputs[index].Name}' is not active in this row.")).Getter(EnsureRun);

    private void EnsureRun()
    {
        var position = _input.Position;
        if (_ran && position == _ranAt)
            return;
        foreach (var read in _readers) read();
        _graph.Session.Run(_runOptions, _graph.InputNames, _inputValues, _fetched, _fetchedValues);
        (_ran, _ranAt) = (true, position);
    }

    public void Dispose()
    {
        foreach (var buffer in _inputs) buffer.Dispose();
        foreach (var buffer in _outputs) buffer?.Dispose();
        _runOptions.Dispose();
    }
}
