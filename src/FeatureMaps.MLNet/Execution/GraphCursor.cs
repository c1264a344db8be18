using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Execution;

/// <summary>A cursor over a <see cref="GraphTransformer"/>'s output: the input cursor's rows, mapped one at a time on the caller's thread.</summary>
internal sealed class GraphCursor : DataViewRowCursor
{
    private readonly DataViewRowCursor _input;
    private readonly GraphRow _row;

    public GraphCursor(GraphTransformer graph, DataViewSchema schema, DataViewRowCursor input, bool[] activeOutputs)
    {
        _input = input;
        _row = new GraphRow(graph, schema, input, activeOutputs);
    }

    public override DataViewSchema Schema => _row.Schema;

    public override long Position => _input.Position;

    public override long Batch => _input.Batch;

    public override bool MoveNext() => _input.MoveNext();

    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) => _row.IsColumnActive(column);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _row.GetGetter<TValue>(column);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _row.Dispose();
        base.Dispose(disposing);
    }
}
