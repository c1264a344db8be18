namespace FeatureMaps.MLNet.Statistics;

/// <summary>The statistics of every channel of one layer across a set of images, from <see cref="ChannelActivityAccumulator.Summarize"/>.</summary>
/// <param name="Images">How many images they cover.</param>
/// <param name="Channels">One entry per channel, in channel order.</param>
public sealed record ChannelActivitySummary(int Images, IReadOnlyList<ChannelActivityStatistics> Channels)
{
    /// <summary>Channels that were exactly zero everywhere on every image.</summary>
    public int DeadChannels => Channels.Count(c => c.Dead);
}
