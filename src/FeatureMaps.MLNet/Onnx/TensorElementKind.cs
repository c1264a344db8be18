namespace FeatureMaps.MLNet.Onnx;

/// <summary>The element types an ONNX tensor can hold, numbered as in ONNX's <c>TensorProto.DataType</c>.</summary>
public enum TensorElementKind
{
    /// <summary>Not declared in the graph.</summary>
    Undefined = 0,
    /// <summary>32-bit float.</summary>
    Float = 1,
    /// <summary>Unsigned byte.</summary>
    UInt8 = 2,
    /// <summary>Signed byte.</summary>
    Int8 = 3,
    /// <summary>Unsigned 16-bit integer.</summary>
    UInt16 = 4,
    /// <summary>Signed 16-bit integer.</summary>
    Int16 = 5,
    /// <summary>Signed 32-bit integer.</summary>
    Int32 = 6,
    /// <summary>Signed 64-bit integer.</summary>
    Int64 = 7,
    /// <summary>String.</summary>
    String = 8,
    /// <summary>Boolean.</summary>
    Bool = 9,
    /// <summary>IEEE half precision float.</summary>
    Float16 = 10,
    /// <summary>64-bit float.</summary>
    Double = 11,
    /// <summary>Unsigned 32-bit integer.</summary>
    UInt32 = 12,
    /// <summary>Unsigned 64-bit integer.</summary>
    UInt64 = 13,
    /// <summary>Brain float (8-bit exponent, 7-bit mantissa).</summary>
    BFloat16 = 16,
}

/// <summary>What the library can do with each element type.</summary>
public static class TensorElementKindExtensions
{
    /// <summary>
    /// True for the floating-point kinds that are converted to <see cref="float"/> for display
    /// (float, float16, bfloat16, double). Integer and bool tensors are index or mask plumbing, not activations.
    /// </summary>
    public static bool IsDisplayable(this TensorElementKind kind) =>
        kind is TensorElementKind.Float or TensorElementKind.Float16 or TensorElementKind.BFloat16 or TensorElementKind.Double;

    /// <summary>The short lower-case name used in listings (<c>float16</c>, <c>int64</c>, ...).</summary>
    public static string DisplayName(this TensorElementKind kind) => kind.ToString().ToLowerInvariant();
}
