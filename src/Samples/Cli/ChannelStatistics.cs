namespace FeatureMaps.Samples.Cli;

/// <summary>Statistics of one layer's activations, computed from the <c>Layer.*</c> floats while the rows stream by.</summary>
internal static class ChannelStatistics
{
    /// <param name="hwc">Height x width x channels values, channel fastest (the <c>Layer.*</c> column layout).</param>
    /// <param name="channels">Channel count.</param>
    public static LayerStatistics Compute(ReadOnlySpan<float> hwc, int channels)
    {
        if (channels <= 0 || hwc.Length == 0 || hwc.Length % channels != 0)
            throw new ArgumentException($"{hwc.Length} activations do not split into {channels} channels.");

        // Two passes in double: the mean first, then squared deviations, which stays accurate for activations with a
        // large mean where sum-of-squares minus squared-sum would cancel.
        double sum = 0;
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        var alive = new bool[channels];
        for (var i = 0; i < hwc.Length; i += channels)
        {
            var pixel = hwc.Slice(i, channels);
            for (var c = 0; c < channels; c++)
            {
                double v = pixel[c];
                sum += v;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
                // NaN != 0 too: a channel producing NaN is broken, not dead.
                alive[c] |= pixel[c] != 0;
            }
        }
        var mean = sum / hwc.Length;
        double squares = 0;
        foreach (var v in hwc)
            squares += (v - mean) * (v - mean);
        var dead = alive.Count(a => !a);
        return new LayerStatistics(mean, Math.Sqrt(squares / hwc.Length), min, max, dead, (double)dead / channels);
    }
}
