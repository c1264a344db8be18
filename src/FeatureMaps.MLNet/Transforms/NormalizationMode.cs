namespace FeatureMaps.MLNet.Transforms;

/// <summary>How feature-map values become display bytes 0..255.</summary>
public enum NormalizationMode
{
    /// <summary>
    /// The tutorial's formula: <c>(x - mean) / std * 64 + 128</c>, clipped to 0..255 and truncated.
    /// 128 puts the mean at mid-grey; 64 maps one standard deviation to a quarter of the range, so
    /// about two standard deviations fit on each side before clipping.
    /// </summary>
    Standardize,
    /// <summary>Linear stretch of the minimum to 0 and the maximum to 255.</summary>
    MinMax,
    /// <summary>Linear stretch of the 1st percentile to 0 and the 99th to 255 (robust to a few extreme values).</summary>
    Percentile,
}

/// <summary>Over which values the statistics of <see cref="NormalizationMode"/> are taken.</summary>
public enum NormalizationScope
{
    /// <summary>Each channel separately, as the tutorial does.</summary>
    PerChannel,
    /// <summary>All channels of a layer together, so channel brightness can be compared.</summary>
    PerLayer,
}
