namespace FeatureMaps.MLNet.Onnx;

/// <summary>
/// One dimension of a tensor shape: a fixed size, a named symbolic size (<c>batch_size</c>, <c>N</c>), or unknown.
/// </summary>
public readonly record struct TensorDimension
{
    private TensorDimension(long? size, string? symbol) => (Size, Symbol) = (size, symbol);

    /// <summary>The fixed size, or null when the dimension is symbolic or unknown.</summary>
    public long? Size { get; }

    /// <summary>The symbolic name (<c>batch_size</c>), or null.</summary>
    public string? Symbol { get; }

    /// <summary>True when the size is known.</summary>
    public bool IsFixed => Size.HasValue;

    /// <summary>A fixed dimension.</summary>
    public static TensorDimension Fixed(long size) => new(size, null);

    /// <summary>A named symbolic dimension; an empty name means unknown.</summary>
    public static TensorDimension Symbolic(string? symbol) => new(null, string.IsNullOrEmpty(symbol) ? null : symbol);

    /// <summary>An unknown dimension.</summary>
    public static TensorDimension Unknown => new(null, null);

    /// <inheritdoc />
    public override string ToString() => Size?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Symbol ?? "?";
}
