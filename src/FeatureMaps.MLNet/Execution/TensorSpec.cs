using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FeatureMaps.MLNet.Execution;

/// <summary>A graph input or output as ONNX Runtime declares it, and the ML.NET column type it maps to.</summary>
internal sealed record TensorSpec(string Name, TensorElementType ElementType, long[] Shape)
{
    public int Length => checked((int)Shape.Aggregate(1L, (n, d) => n * d));

    /// <summary>
    /// The column type ML.NET's own ONNX transformer gives this tensor (a known-size vector with the tensor's
    /// dimensions), so a fitted pipeline and the same pipeline loaded from its zip have one schema.
    /// </summary>
    public VectorDataViewType ColumnType => new(ItemType, Shape.Select(d => (int)d).ToArray());

    public PrimitiveDataViewType ItemType => ElementType switch
    {
        TensorElementType.Float => NumberDataViewType.Single,
        TensorElementType.UInt8 => NumberDataViewType.Byte,
        TensorElementType.Int64 => NumberDataViewType.Int64,
        TensorElementType.Int32 => NumberDataViewType.Int32,
        TensorElementType.Double => NumberDataViewType.Double,
        _ => throw new NotSupportedException($"Tensor '{Name}' holds {ElementType}; expected float, uint8, int32, int64 or double."),
    };

    /// <summary>Bytes per value of a column item type (4 for anything but bytes and 8-byte numbers).</summary>
    public static int ItemBytes(DataViewType item) =>
        item.RawType == typeof(byte) ? 1 : item.RawType == typeof(double) || item.RawType == typeof(long) ? 8 : 4;

    public long Bytes => (long)Length * ItemBytes(ItemType);

    public static TensorSpec Of(string name, NodeMetadata metadata, string graph)
    {
        if (!metadata.IsTensor || metadata.Dimensions.Any(d => d <= 0))
            throw new InvalidOperationException(
                $"Generated graph '{graph}' declares '{name}' as [{string.Join(", ", metadata.Dimensions)}]; every input and output needs a fixed shape.");
        return new TensorSpec(name, metadata.ElementDataType, metadata.Dimensions.Select(d => (long)d).ToArray());
    }
}
