using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FeatureMaps.MLNet.Execution;

/// <summary>
/// One graph input or output of one row: a managed array that ONNX Runtime reads or writes in place (the
/// <see cref="OrtValue"/> pins it), reused for every row, so a row costs no allocation proportional to its tensors.
/// </summary>
internal abstract class TensorBuffer : IDisposable
{
    public abstract OrtValue Value { get; }

    public abstract void Dispose();

    /// <summary>
    /// An action that reads the row's value of <paramref name="column"/> into the buffer. The column's getter is handed
    /// the buffer's own array, so a getter that fills the caller's buffer (ML.NET's and this library's do) copies once.
    /// </summary>
    public abstract Action Reader(DataViewRow row, DataViewSchema.Column column);

    /// <summary>A <c>ValueGetter&lt;VBuffer&lt;T&gt;&gt;</c> that first makes sure the row has run, then copies the buffer out.</summary>
    public abstract Delegate Getter(Action ensureRun);

    /// <summary>A <c>ValueGetter&lt;VBuffer&lt;T&gt;&gt;</c> for <paramref name="spec"/> that copies out whichever buffer <paramref name="current"/> returns.</summary>
    public static Delegate Getter(TensorSpec spec, Func<TensorBuffer> current) => spec.ElementType switch
    {
        TensorElementType.Float => TensorBuffer<float>.CurrentGetter(current),
        TensorElementType.UInt8 => TensorBuffer<byte>.CurrentGetter(current),
        TensorElementType.Int64 => TensorBuffer<long>.CurrentGetter(current),
        TensorElementType.Int32 => TensorBuffer<int>.CurrentGetter(current),
        TensorElementType.Double => TensorBuffer<double>.CurrentGetter(current),
        _ => throw new NotSupportedException($"Tensor '{spec.Name}' holds {spec.ElementType}; expected float, uint8, int32, int64 or double."),
    };

    public static TensorBuffer For(TensorSpec spec) => spec.ElementType switch
    {
        TensorElementType.Float => new TensorBuffer<float>(spec),
        TensorElementType.UInt8 => new TensorBuffer<byte>(spec),
        TensorElementType.Int64 => new TensorBuffer<long>(spec),
        TensorElementType.Int32 => new TensorBuffer<int>(spec),
        TensorElementType.Double => new TensorBuffer<double>(spec),
        _ => throw new NotSupportedException($"Tensor '{spec.Name}' holds {spec.ElementType}; expected float, uint8, int32, int64 or double."),
    };
}

internal sealed class TensorBuffer<T> : TensorBuffer where T : unmanaged
{
    private readonly T[] _values;
    private readonly string _name;

    public TensorBuffer(TensorSpec spec)
    {
        _name = spec.Name;
        _values = new T[spec.Length];
        Value = OrtValue.CreateTensorValueFromMemory(_values, spec.Shape);
    }

    public override OrtValue Value { get; }

    public override void Dispose() => Value.Dispose();

    public override Action Reader(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<VBuffer<T>>(column);
        return () =>
        {
            var value = new VBuffer<T>(_values.Length, _values);
            getter(ref value);
            if (value.Length != _values.Length)
                throw new InvalidOperationException($"Column '{column.Name}' held {value.Length} values in row {row.Position}; graph input '{_name}' expects {_values.Length}.");
            if (!value.IsDense)
            {
                // A sparse value may keep its few values in this very array; scattering them into it in place would
                // clear them first.
                var dense = new T[_values.Length];
                value.CopyTo(dense);
                dense.CopyTo(_values, 0);
            }
            else if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(value.GetValues()), ref _values[0]))
                value.GetValues().CopyTo(_values);
        };
    }

    public override Delegate Getter(Action ensureRun) => (ValueGetter<VBuffer<T>>)((ref VBuffer<T> destination) =>
    {
        ensureRun();
        CopyTo(ref destination);
    });

    public static Delegate CurrentGetter(Func<TensorBuffer> current) =>
        (ValueGetter<VBuffer<T>>)((ref VBuffer<T> destination) => ((TensorBuffer<T>)current()).CopyTo(ref destination));

    private void CopyTo(ref VBuffer<T> destination)
    {
        var editor = VBufferEditor.Create(ref destination, _values.Length);
        _values.AsSpan().CopyTo(editor.Values);
        destination = editor.Commit();
    }
}
