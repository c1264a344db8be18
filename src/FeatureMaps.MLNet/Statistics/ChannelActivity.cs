namespace FeatureMaps.MLNet.Statistics;

/// <summary>
/// How each channel of one layer fired on one image: per channel, the mean activation and the share of activations that
/// are exactly zero. This is what <see cref="ChannelActivityAccumulator"/> needs from an image, and it is small (two
/// numbers per channel), so it can be kept or written to disk per image where the activations themselves cannot.
/// </summary>
/// <remarks>
/// A channel that produced NaN has a NaN mean (it is broken, not quiet) and NaN counts as non-zero; infinities pass into
/// the mean as they are.
/// </remarks>
public sealed class ChannelActivity
{
    private readonly float[] _means;
    private readonly float[] _zeroShares;

    /// <summary>Activity from values measured earlier (for instance read back from a file).</summary>
    /// <param name="means">Mean activation per channel.</param>
    /// <param name="zeroShares">Share of exactly-zero activations per channel, each between 0 and 1.</param>
    public ChannelActivity(IReadOnlyList<float> means, IReadOnlyList<float> zeroShares)
    {
        Guard.NotNull(means);
        Guard.NotNull(zeroShares);
        Guard.Positive(means.Count);
        Guard.LengthEquals(zeroShares.Count, means.Count, "one per channel of means", nameof(zeroShares));
        _means = [.. means];
        _zeroShares = [.. zeroShares];
        foreach (var share in _zeroShares)
            Guard.IsTrue(share is >= 0 and <= 1, share, "Each zero share must lie between 0 and 1.", nameof(zeroShares));
    }

    private ChannelActivity(float[] means, float[] zeroShares) => (_means, _zeroShares) = (means, zeroShares);

    /// <summary>Channel count.</summary>
    public int Channels => _means.Length;

    /// <summary>Mean activation per channel, over the channel's height x width values.</summary>
    public IReadOnlyList<float> Means => _means;

    /// <summary>Share of the channel's values that are exactly 0, per channel: 1 for a channel that never fired on this image.</summary>
    public IReadOnlyList<float> ZeroShares => _zeroShares;

    /// <summary>Measures one image's activations of one layer.</summary>
    /// <param name="hwc">Height x width x channels values, channel fastest: the layout of the <c>Layer.*</c> columns.</param>
    /// <param name="channels">Channel count.</param>
    public static ChannelActivity Measure(ReadOnlySpan<float> hwc, int channels)
    {
        Guard.Positive(channels);
        Guard.IsTrue(hwc.Length > 0 && hwc.Length % channels == 0, hwc.Length, "The activations must be height x width x channels values (a non-zero multiple of the channel count).");
        var sums = new double[channels];
        var zeros = new int[channels];
        for (var i = 0; i < hwc.Length; i += channels)
        {
            var pixel = hwc.Slice(i, channels);
            for (var c = 0; c < pixel.Length; c++)
            {
                sums[c] += pixel[c];
                if (pixel[c] == 0)
                    zeros[c]++;
            }
        }
        var positions = hwc.Length / channels;
        var means = new float[channels];
        var zeroShares = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            means[c] = (float)(sums[c] / positions);
            zeroShares[c] = (float)zeros[c] / positions;
        }
        return new ChannelActivity(means, zeroShares);
    }
}
