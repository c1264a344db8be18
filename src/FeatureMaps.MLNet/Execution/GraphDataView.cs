using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Execution;

/// <summary>The data a <see cref="GraphTransformer"/> makes of its input: lazy, like every ML.NET data view.</summary>
/// <remarks>
/// A single cursor maps rows on several threads when it can (see <see cref="ConsolidatingCursor"/>): as ML.NET's own
/// mapping transforms do, so decoding, the model and the display graphs of two images overlap on two cores. A cursor
/// set is left to its caller's threads.
/// </remarks>
internal sealed class GraphDataView(GraphTransformer graph, IDataView input) : IDataView
{
    /// <summary>Rows in flight are held in memory; rows larger than this are mapped one at a time instead.</summary>
    private const long MaxParallelRowBytes = 64L << 20;

    private const int MaxThreads = 4;

    public DataViewSchema Schema { get; } = graph.GetOutputSchema(input.Schema);

    public bool CanShuffle => input.CanShuffle;

    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var columns = columnsNeeded.ToList();
        var (inputColumns, activeOutputs) = graph.Needs(input.Schema, columns);
        var threads = Math.Min(Environment.ProcessorCount, MaxThreads);
        if (threads > 1 && activeOutputs.Any(a => a) && RowBytes(columns) <= MaxParallelRowBytes)
        {
            var set = GetRowCursorSet(columns, threads, rand);
            if (set.Length > 1)
                return new ConsolidatingCursor(Schema, set, columns);
            return set[0];
        }
        return new GraphCursor(graph, Schema, input.GetRowCursor(inputColumns, rand), activeOutputs);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var (inputColumns, activeOutputs) = graph.Needs(input.Schema, columnsNeeded);
        return input.GetRowCursorSet(inputColumns, n, rand)
            .Select(cursor => (DataViewRowCursor)new GraphCursor(graph, Schema, cursor, activeOutputs)).ToArray();
    }

    private static long RowBytes(IEnumerable<DataViewSchema.Column> columns) =>
        columns.Sum(c => c.Type is VectorDataViewType { IsKnownSize: true } vector ? (long)vector.Size * ItemBytes(vector.ItemType) : 64);

    private static int ItemBytes(DataViewType item) => item.RawType == typeof(byte) ? 1 : item.RawType == typeof(double) || item.RawType == typeof(long) ? 8 : 4;
}
