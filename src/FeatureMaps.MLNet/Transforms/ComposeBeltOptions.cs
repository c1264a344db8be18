namespace FeatureMaps.MLNet.Transforms;

/// <summary>Options for <see cref="ComposeBeltEstimator"/>.</summary>
public sealed class ComposeBeltOptions
{
    /// <summary>Default values: the tutorial's single strip.</summary>
    public static class Defaults
    {
        /// <summary>Pixels between tiles.</summary>
        public const int Spacing = 0;
        /// <summary>Grey level of the gaps and of empty grid slots.</summary>
        public const byte Background = 0;
    }

    /// <summary>Input/output column pairs; null = every <c>Display.*</c> column to <c>Belt.*</c>.</summary>
    public IReadOnlyList<(string Input, string Output)>? Columns { get; init; }

    /// <summary>Channel tiles per row; null = all channels in one row, the tutorial's <c>image_belt</c>.</summary>
    public int? ChannelsPerRow { get; init; }

    /// <summary>Pixels between neighbouring tiles.</summary>
    public int Spacing { get; init; } = Defaults.Spacing;

    /// <summary>Grey level (0..255) of the gaps and of unused grid slots.</summary>
    public byte Background { get; init; } = Defaults.Background;

    /// <summary>Show only n channels of wide layers (e.g. 512-channel layers), chosen by <see cref="Choice"/>; null = all.</summary>
    public int? MaxChannels { get; init; }

    /// <summary>
    /// Which channels <see cref="MaxChannels"/> keeps: the first n (default) or the n most active, which reads the raw
    /// activations too (<c>Layer.&lt;name&gt;</c> beside each <c>Display.&lt;name&gt;</c> input).
    /// </summary>
    public ChannelChoice Choice { get; init; } = ChannelChoice.First;

    /// <summary>
    /// One generated graph (one ONNX transformer) per layer instead of one for all: then reading one layer's column
    /// computes nothing for the others, which a memory-bounded read needs (<see cref="Reading.FeatureMapReader"/> with
    /// <c>MaxActivationBytes</c>); costs a session per layer. Default false.
    /// </summary>
    public bool GraphPerLayer { get; init; }
}
