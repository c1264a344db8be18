using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Execution;

/// <summary>
/// A row of a <see cref="GraphTransformer"/>'s output: the input row's columns as they are, then the graph's outputs,
/// computed when first read. It owns its input row, as ML.NET's mapped rows do.
/// </summary>
internal sealed class GraphRow : DataViewRow
{
    private readonly DataViewRow _input;
    private readonly GraphRowRunner _runner;
    private readonly bool[] _activeOutputs;
    private bool _disposed;

    public GraphRow(GraphTransformer graph, DataViewSchema schema, DataViewRow input, bool[] activeOutputs)
    {
        Schema = schema;
        _input = input;
        _activeOutputs = activeOutputs;
        _runner = new GraphRowRunner(graph, input, activeOutputs);
    }

    public override DataViewSchema Schema { get; }

    public override long Position => _input.Position;

    public override long Batch => _input.Batch;

    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column)
    {
        var inputCount = _input.Schema.Count;
        return column.Index < inputCount ? _input.IsColumnActive(_input.Schema[column.Index]) : _activeOutputs[column.Index - inputCount];
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        var inputCount = _input.Schema.Count;
        if (column.Index < inputCount)
            return _input.GetGetter<TValue>(_input.Schema[column.Index]);
        if (!_activeOutputs[column.Index - inputCount])
            throw new InvalidOperationException($"Column '{column.Name}' was not requested as active; it cannot be read from this row.");
        return _runner.Getter(column.Index - inputCount) as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
    }

    protected override void Dispose(bool disposing)
    {
        if (_disposed)
            return;
        _disposed = true;
        if (disposing)
        {
            _runner.Dispose();
            // As ML.NET's own mapped rows do: disposing the last row of a chain releases the rows it was made from.
            _input.Dispose();
        }
        base.Dispose(disposing);
    }
}
