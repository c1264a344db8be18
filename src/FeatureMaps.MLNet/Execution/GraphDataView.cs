using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Execution;

/// <summary>The data a <see cref="GraphTransformer"/> makes of its input: lazy, like every ML.NET data view.</summary>
/// <remarks>
/// A single cursor runs the graph of the next row while the current one is read (<see cref="PipelinedGraphCursor"/>), so
/// chained graphs and the decoding before them overlap on the cores; rows too large to hold twice go one at a time. A
/// cursor set is left to its caller's threads.
/// </remarks>
internal sealed class GraphDataView(GraphTransformer graph, IDataView input) : IDataView
{
    /// <summary>Rows in flight are held in memory; rows larger than this are mapped one at a time instead.</summary>
    private const long MaxPipelinedRowBytes = 64L << 20;

    /// <summary>Rows in flight per graph: the one being read and the next one running.</summary>
    private const int Depth = 2;

    public DataViewSchema Schema { get; } = graph.GetOutputSchema(input.Schema);

    public bool CanShuffle => input.CanShuffle;

    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var columns = columnsNeeded.ToList();
        var (inputColumns, activeOutputs) = graph.Needs(input.Schema, columns);
        var cursor = input.GetRowCursor(inputColumns, rand);
        var passedThrough = columns.Where(c => c.Index < input.Schema.Count).Select(c => input.Schema[c.Index]).DistinctBy(c => c.Index).ToList();
        // A row in flight holds its tensors and a copy of every input column read through it.
        if (activeOutputs.Any(a => a) && Environment.ProcessorCount > 1
            && graph.RowBytes(activeOutputs) + passedThrough.Sum(VectorBytes) <= MaxPipelinedRowBytes)
            return new PipelinedGraphCursor(graph, Schema, cursor, activeOutputs, passedThrough, Depth);
        return new GraphCursor(graph, Schema, cursor, activeOutputs);
    }

    private static long VectorBytes(DataViewSchema.Column column) =>
        column.Type is VectorDataViewType { IsKnownSize: true } vector ? (long)vector.Size * TensorSpec.ItemBytes(vector.ItemType) : 0;

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var (inputColumns, activeOutputs) = graph.Needs(input.Schema, columnsNeeded);
        return input.GetRowCursorSet(inputColumns, n, rand)
            .Select(cursor => (DataViewRowCursor)new GraphCursor(graph, Schema, cursor, activeOutputs)).ToArray();
    }
}
