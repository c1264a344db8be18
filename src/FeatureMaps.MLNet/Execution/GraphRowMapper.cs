using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Execution;

/// <summary>A <see cref="GraphTransformer"/> as a row-to-row mapper: what ML.NET's prediction engines and the library's reader use.</summary>
internal sealed class GraphRowMapper(GraphTransformer graph, DataViewSchema inputSchema) : IRowToRowMapper
{
    public DataViewSchema InputSchema { get; } = inputSchema;

    public DataViewSchema OutputSchema { get; } = graph.GetOutputSchema(inputSchema);

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        graph.Needs(InputSchema, dependingColumns).InputColumns;

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new GraphRow(graph, OutputSchema, input, graph.Needs(InputSchema, activeColumns).ActiveOutputs);
}
