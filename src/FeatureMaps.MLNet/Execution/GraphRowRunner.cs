using Microsoft.ML;

namespace FeatureMaps.MLNet.Execution;

/// <summary>
/// Runs a <see cref="GraphTransformer"/>'s graph for the rows of one input row or cursor: at most one ONNX Runtime
/// <c>Run</c> per row, fetching only the outputs that are read, into buffers borrowed from the transformer.
/// </summary>
internal sealed class GraphRowRunner : IDisposable
{
    private readonly GraphTransformer _graph;
    private readonly DataViewRow _input;
    private readonly RowBuffers _buffers;
    private readonly Action[] _readers;
    private long _ranAt = -1;
    private bool _ran;

    /// <param name="graph">The fitted graph.</param>
    /// <param name="input">The row the graph's input columns come from.</param>
    /// <param name="activeOutputs">Per graph output, whether it is read.</param>
    public GraphRowRunner(GraphTransformer graph, DataViewRow input, bool[] activeOutputs)
    {
        _graph = graph;
        _input = input;
        _buffers = graph.RentBuffers(activeOutputs);
        _readers = _buffers.Inputs.Select((buffer, i) => buffer.Reader(input, input.Schema[graph.Inputs[i].Name])).ToArray();
    }

    /// <summary>The getter of graph output <paramref name="index"/>, which must be active.</summary>
    public Delegate Getter(int index) =>
        (_buffers.Outputs[index] ?? throw new InvalidOperationException($"Output '{_graph.Outputs[index].Name}' is not active in this row.")).Getter(EnsureRun);

    private void EnsureRun()
    {
        var position = _input.Position;
        if (_ran && position == _ranAt)
            return;
        foreach (var read in _readers) read();
        _graph.Run(_buffers, position);
        (_ran, _ranAt) = (true, position);
    }

    public void Dispose() => _graph.ReturnBuffers(_buffers);
}
