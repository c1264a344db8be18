namespace FeatureMaps.MLNet.Transforms;

/// <summary>Options for <see cref="NormalizeForDisplayEstimator"/>.</summary>
public sealed class NormalizeForDisplayOptions
{
    /// <summary>Default values: the tutorial's.</summary>
    public static class Defaults
    {
        /// <summary>The tutorial's standardization.</summary>
        public const NormalizationMode Mode = NormalizationMode.Standardize;
        /// <summary>Statistics per channel, as the tutorial.</summary>
        public const NormalizationScope Scope = NormalizationScope.PerChannel;
        /// <summary>One standard deviation spans 64 grey levels.</summary>
        public const float Scale = 64f;
        /// <summary>The mean lands on mid-grey.</summary>
        public const float Offset = 128f;
        /// <summary>Lower percentile of <see cref="NormalizationMode.Percentile"/>.</summary>
        public const float LowPercentile = 1f;
        /// <summary>Upper percentile of <see cref="NormalizationMode.Percentile"/>.</summary>
        public const float HighPercentile = 99f;
    }

    /// <summary>Input/output column pairs; null = every <c>Layer.*</c> column to <c>Display.*</c>.</summary>
    public IReadOnlyList<(string Input, string Output)>? Columns { get; init; }

    /// <summary>The normalization formula.</summary>
    public NormalizationMode Mode { get; init; } = Defaults.Mode;

    /// <summary>Per channel or per layer statistics.</summary>
    public NormalizationScope Scope { get; init; } = Defaults.Scope;

    /// <summary>Grey levels per standard deviation in <see cref="NormalizationMode.Standardize"/>.</summary>
    public float Scale { get; init; } = Defaults.Scale;

    /// <summary>Grey level of the mean in <see cref="NormalizationMode.Standardize"/>.</summary>
    public float Offset { get; init; } = Defaults.Offset;

    /// <summary>Percentile mapped to 0 in <see cref="NormalizationMode.Percentile"/>.</summary>
    public float LowPercentile { get; init; } = Defaults.LowPercentile;

    /// <summary>Percentile mapped to 255 in <see cref="NormalizationMode.Percentile"/>.</summary>
    public float HighPercentile { get; init; } = Defaults.HighPercentile;

    /// <summary>
    /// One generated graph (one ONNX transformer) per layer instead of one for all: then reading one layer's column
    /// computes nothing for the others, which a memory-bounded read needs (<see cref="Reading.FeatureMapReader"/> with
    /// <c>MaxActivationBytes</c>); costs a session per layer. Default false.
    /// </summary>
    public bool GraphPerLayer { get; init; }
}
