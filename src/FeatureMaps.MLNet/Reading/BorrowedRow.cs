using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Reading;

/// <summary>
/// A row lent to a mapper that must not end its life: ML.NET's mapped rows dispose their input row with themselves, and
/// a pass row disposed after its pass would otherwise dispose the image row (and the cursor under it) with it.
/// </summary>
internal sealed class BorrowedRow(DataViewRow row) : DataViewRow
{
    public override long Position => row.Position;

    public override long Batch => row.Batch;

    public override DataViewSchema Schema => row.Schema;

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => row.GetGetter<TValue>(column);

    public override ValueGetter<DataViewRowId> GetIdGetter() => row.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) => row.IsColumnActive(column);

    /// <summary>Leaves the lent row alone; its owner disposes it.</summary>
    protected override void Dispose(bool disposing)
    {
    }
}
