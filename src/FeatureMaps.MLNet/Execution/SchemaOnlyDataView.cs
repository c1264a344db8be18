using Microsoft.ML;

namespace FeatureMaps.MLNet.Execution;

/// <summary>A data view that is only a schema: what ML.NET's ONNX estimator looks at when it is fitted.</summary>
internal sealed class SchemaOnlyDataView(DataViewSchema schema) : IDataView
{
    public DataViewSchema Schema => schema;

    public bool CanShuffle => false;

    public long? GetRowCount() => 0;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        throw new NotSupportedException("This data view holds a schema only.");

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        throw new NotSupportedException("This data view holds a schema only.");
}
