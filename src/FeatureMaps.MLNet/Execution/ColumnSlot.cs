using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Execution;

/// <summary>
/// One column's value of one row, held while the row waits to be read: a vector keeps its own buffer (filled by the
/// column's getter, reused for later rows), anything else is kept as the value it is.
/// </summary>
internal abstract class ColumnSlot
{
    /// <summary>A new empty slot for values of <paramref name="column"/>.</summary>
    public static ColumnSlot For(DataViewSchema.Column column)
    {
        var raw = column.Type.RawType;
        var slot = raw.IsGenericType && raw.GetGenericTypeDefinition() == typeof(VBuffer<>)
            ? typeof(VectorSlot<>).MakeGenericType(raw.GetGenericArguments()[0])
            : typeof(ValueSlot<>).MakeGenericType(raw);
        return (ColumnSlot)Activator.CreateInstance(slot)!;
    }

    /// <summary>The typed getter of <paramref name="column"/> in <paramref name="row"/>, for <see cref="Capture"/>.</summary>
    public abstract Delegate Source(DataViewRow row, DataViewSchema.Column column);

    /// <summary>Stores the current value of <paramref name="source"/>, made by <see cref="Source"/>.</summary>
    public abstract void Capture(Delegate source);

    /// <summary>A <c>ValueGetter</c> that hands out the value held by whichever slot <paramref name="current"/> returns.</summary>
    public abstract Delegate Reader(Func<ColumnSlot> current);
}

internal sealed class VectorSlot<T> : ColumnSlot
{
    private VBuffer<T> _value;

    public override Delegate Source(DataViewRow row, DataViewSchema.Column column) => row.GetGetter<VBuffer<T>>(column);

    public override void Capture(Delegate source) => ((ValueGetter<VBuffer<T>>)source)(ref _value);

    public override Delegate Reader(Func<ColumnSlot> current) =>
        (ValueGetter<VBuffer<T>>)((ref VBuffer<T> destination) => ((VectorSlot<T>)current())._value.CopyTo(ref destination));
}

internal sealed class ValueSlot<T> : ColumnSlot
{
    private T _value = default!;

    public override Delegate Source(DataViewRow row, DataViewSchema.Column column) => row.GetGetter<T>(column);

    public override void Capture(Delegate source) => ((ValueGetter<T>)source)(ref _value);

    public override Delegate Reader(Func<ColumnSlot> current) =>
        (ValueGetter<T>)((ref T destination) => destination = ((ValueSlot<T>)current())._value);
}
