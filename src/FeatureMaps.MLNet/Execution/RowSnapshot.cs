using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Execution;

/// <summary>The values of the columns read from one input row, kept after the input cursor has moved on.</summary>
internal sealed class RowSnapshot(DataViewSchema.Column[] columns)
{
    public ColumnSlot[] Slots { get; } = columns.Select(ColumnSlot.For).ToArray();

    public long Batch { get; private set; }

    public long Position { get; private set; }

    public DataViewRowId Id { get; private set; }

    /// <summary>Stores the current row of <paramref name="cursor"/>: its values through <paramref name="sources"/> (see <see cref="ColumnSlot.Source"/>).</summary>
    public void Capture(DataViewRowCursor cursor, Delegate[] sources, ValueGetter<DataViewRowId> id)
    {
        for (var i = 0; i < Slots.Length; i++)
            Slots[i].Capture(sources[i]);
        var rowId = default(DataViewRowId);
        id(ref rowId);
        (Position, Batch, Id) = (cursor.Position, cursor.Batch, rowId);
    }
}
