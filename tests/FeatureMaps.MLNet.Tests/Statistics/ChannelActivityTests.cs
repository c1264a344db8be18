using FeatureMaps.MLNet.Statistics;

namespace FeatureMaps.MLNet.Tests.Statistics;

public sealed class ChannelActivityTests
{
    [Fact]
    public void Each_channel_gets_its_mean_and_its_share_of_exact_zeros()
    {
        // 2 x 2 positions, 3 channels (channel fastest): channel 0 = 1, 3, 0, 4; channel 1 = 0, 0, 0, 0; channel 2 = 0, 0, 2, 2.
        float[] hwc = [1, 0, 0, 3, 0, 0, 0, 0, 2, 4, 0, 2];

        var activity = ChannelActivity.Measure(hwc, channels: 3);

        Assert.Equal(3, activity.Channels);
        Assert.Equal([2f, 0f, 1f], activity.Means);
        Assert.Equal([0.25f, 1f, 0.5f], activity.ZeroShares);
    }

    [Fact]
    public void NaN_makes_the_mean_NaN_and_does_not_count_as_zero()
    {
        float[] hwc = [float.NaN, 0, 0, 0];

        var activity = ChannelActivity.Measure(hwc, channels: 1);

        Assert.True(float.IsNaN(activity.Means[0]));
        Assert.Equal(0.75f, activity.ZeroShares[0]);
    }

    [Fact]
    public void Values_that_do_not_split_into_channels_are_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ChannelActivity.Measure([1, 2, 3], channels: 2));
        Assert.Contains("multiple of the channel count", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelActivity.Measure([], channels: 2));
    }

    [Fact]
    public void Activity_read_back_is_checked()
    {
        Assert.Throws<ArgumentException>(() => new ChannelActivity([1f, 2f], [0f]));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelActivity([1f], [1.5f]));
        Assert.Contains("between 0 and 1", error.Message);
        Assert.Equal([0.5f], new ChannelActivity([2f], [0.5f]).ZeroShares);
    }
}
