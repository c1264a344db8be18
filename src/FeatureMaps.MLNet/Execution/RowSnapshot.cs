using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Execution;

/// <summary>The values of the read columns of one row, made on a worker thread and handed to the reading thread.</summary>
internal sealed class RowSnapshot(DataViewSchema.Column[] columns)
{
    public ColumnSlot[] Slots { get; } = columns.Select(ColumnSlot.For).ToArray();

    public long Batch { get; private set; }

    public DataViewRowId Id { get; private set; }

    public void Capture(DataViewRowCursor cursor, Delegate[] sources, ValueGetter<DataViewRowId> id)
    {
        for (var i = 0; i < Slots.Length; i++)
            Slots[i].Capture(sources[i]);
        var rowId = default(DataViewRowId);
        id(ref rowId);
        (Batch, Id) = (cursor.Batch, rowId);
    }
}
