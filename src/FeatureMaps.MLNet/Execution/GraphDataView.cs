using Microsoft.ML;

namespace FeatureMaps.MLNet.Execution;

/// <summary>The data a <see cref="GraphTransformer"/> makes of its input: lazy, like every ML.NET data view.</summary>
internal sealed class GraphDataView(GraphTransformer graph, IDataView input) : IDataView
{
    public DataViewSchema Schema { get; } = graph.GetOutputSchema(input.Schema);

    public bool CanShuffle => input.CanShuffle;

    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var (inputColumns, activeOutputs) = graph.Needs(input.Schema, columnsNeeded);
        return new GraphCursor(graph, Schema, input.GetRowCursor(inputColumns, rand), activeOutputs);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var (inputColumns, activeOutputs) = graph.Needs(input.Schema, columnsNeeded);
        return input.GetRowCursorSet(inputColumns, n, rand)
            .Select(cursor => (DataViewRowCursor)new GraphCursor(graph, Schema, cursor, activeOutputs)).ToArray();
    }
}
