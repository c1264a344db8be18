using FeatureMaps.Samples.Cli;

namespace FeatureMaps.MLNet.Tests.Cli;

public sealed class ChannelStatisticsTests
{
    [Fact]
    public void Channels_that_are_zero_everywhere_count_as_dead()
    {
        // 2 x 2 pixels, 3 channels (channel fastest): channel 1 never fires.
        float[] hwc = [1, 0, 0, 3, 0, 0, 0, 0, 2, 4, 0, 2];

        var statistics = ChannelStatistics.Compute(hwc, channels: 3);

        Assert.Equal(1, statistics.DeadChannels);
        Assert.Equal(1 / 3.0, statistics.DeadShare, 12);
        Assert.Equal(1.0, statistics.Mean, 12);
        Assert.Equal(Math.Sqrt(hwc.Average(v => (v - 1.0) * (v - 1.0))), statistics.Std, 12);
        Assert.Equal((0.0, 4.0), (statistics.Min, statistics.Max));
    }

    [Fact]
    public void A_large_mean_keeps_an_exact_standard_deviation()
    {
        float[] hwc = [100000.5f, 100001.5f, 100000.5f, 100001.5f];

        Assert.Equal(0.5, ChannelStatistics.Compute(hwc, channels: 1).Std, 9);
    }

    [Fact]
    public void Values_that_do_not_split_into_channels_are_refused() =>
        Assert.Throws<ArgumentException>(() => ChannelStatistics.Compute([1, 2, 3], channels: 2));
}
