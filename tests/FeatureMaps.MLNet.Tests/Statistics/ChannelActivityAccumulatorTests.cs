using FeatureMaps.MLNet.Statistics;
using FeatureMaps.MLNet.Tests.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Tests.Statistics;

public sealed class ChannelActivityAccumulatorTests
{
    private static ChannelActivity Activity(float[] means, float[] zeroShares) => new(means, zeroShares);

    [Fact]
    public void Means_and_zero_shares_average_over_images_and_the_most_activating_images_come_first()
    {
        var layer = new ChannelActivityAccumulator(channels: 2, topImages: 2);
        layer.Add("a.jpg", Activity([1, 0], [0.5f, 1]));
        layer.Add("b.jpg", Activity([3, 0], [0.25f, 1]));
        layer.Add("c.jpg", Activity([2, 0], [0, 1]));

        var summary = layer.Summarize();

        Assert.Equal(3, summary.Images);
        var (fires, never) = (summary.Channels[0], summary.Channels[1]);
        Assert.Equal((0, 2.0, 0.25, false), (fires.Channel, fires.Mean, fires.ZeroShare, fires.Dead));
        Assert.Equal([new RankedImage("b.jpg", 3), new RankedImage("c.jpg", 2)], fires.TopImages);
        Assert.Equal((1, 0.0, 1.0, true), (never.Channel, never.Mean, never.ZeroShare, never.Dead));
        Assert.Empty(never.TopImages); // it never fired: no image "activates it most"
        Assert.Equal(1, summary.DeadChannels);
    }

    [Fact]
    public void A_channel_that_fires_on_one_image_is_not_dead()
    {
        var layer = new ChannelActivityAccumulator(channels: 1);
        layer.Add("quiet.jpg", Activity([0], [1]));
        layer.Add("loud.jpg", Activity([0.01f], [0.99f]));

        var channel = layer.Summarize().Channels[0];

        Assert.False(channel.Dead);
        Assert.Equal([new RankedImage("loud.jpg", 0.01f)], channel.TopImages);
    }

    [Fact]
    public void Merged_parts_equal_one_pass_whatever_the_order()
    {
        var images = Enumerable.Range(0, 40)
            .Select(i => (Name: $"img-{i:00}.png", Activity: Activity([(i * 7) % 11, i % 3 == 0 ? 0 : i % 5, -i], [(i % 4) / 4f, i % 3 == 0 ? 1 : 0, 0])))
            .ToList();
        var single = new ChannelActivityAccumulator(channels: 3, topImages: 4);
        foreach (var (name, activity) in images)
            single.Add(name, activity);
        var parts = Enumerable.Range(0, 3).Select(_ => new ChannelActivityAccumulator(channels: 3, topImages: 4)).ToArray();
        foreach (var (image, index) in images.Select((image, index) => (image, index)).Reverse())
            parts[index % 3].Add(image.Name, image.Activity);
        var merged = new ChannelActivityAccumulator(channels: 3, topImages: 4);
        foreach (var part in parts.Reverse())
            merged.Merge(part);

        var (expected, actual) = (single.Summarize(), merged.Summarize());

        Assert.Equal(expected.Images, actual.Images);
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(expected.Channels[c].Mean, actual.Channels[c].Mean, 12);
            Assert.Equal(expected.Channels[c].ZeroShare, actual.Channels[c].ZeroShare, 12);
            Assert.Equal(expected.Channels[c].Dead, actual.Channels[c].Dead);
            // Equal means (channel 0 repeats every 11 images) are ranked by name, so both orders agree exactly.
            Assert.Equal(expected.Channels[c].TopImages, actual.Channels[c].TopImages);
        }
        Assert.Equal(4, expected.Channels[0].TopImages.Count);
        Assert.Equal(expected.Channels[0].TopImages.OrderByDescending(t => t.Mean).ThenBy(t => t.Image, StringComparer.Ordinal), expected.Channels[0].TopImages);
    }

    [Fact]
    public void NaN_images_make_the_mean_NaN_and_are_never_ranked()
    {
        var layer = new ChannelActivityAccumulator(channels: 1);
        layer.Add("broken.png", Activity([float.NaN], [0]));
        layer.Add("fine.png", Activity([2], [0]));

        var channel = layer.Summarize().Channels[0];

        Assert.True(double.IsNaN(channel.Mean));
        Assert.Equal([new RankedImage("fine.png", 2)], channel.TopImages);
    }

    [Fact]
    public void Without_images_nothing_is_dead_and_the_statistics_are_NaN()
    {
        var channel = new ChannelActivityAccumulator(channels: 2).Summarize().Channels[1];

        Assert.True(double.IsNaN(channel.Mean) && double.IsNaN(channel.ZeroShare));
        Assert.False(channel.Dead);
    }

    [Fact]
    public void Activity_of_another_layer_is_refused()
    {
        var layer = new ChannelActivityAccumulator(channels: 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => layer.Add("a.png", Activity([1, 2, 3], [0, 0, 0])));
        var error = Assert.Throws<ArgumentException>(() => layer.Merge(new ChannelActivityAccumulator(channels: 3)));
        Assert.Contains("3 channels", error.Message);
        Assert.Throws<ArgumentException>(() => layer.Merge(layer));
    }

    [Fact]
    public void On_the_seed_cnn_the_folder_mean_is_the_mean_of_every_activation_and_the_ranking_follows_the_image_means()
    {
        var ml = new MLContext();
        string[] photos = [TestData.Chelsea, TestData.Image("skimage_coffee.png"), TestData.Image("skimage_rocket.jpg")];
        var rows = SeedPipeline.Build(ml).Fit(SeedPipeline.Images(ml, photos)).Transform(SeedPipeline.Images(ml, photos));
        var channels = SeedPipeline.Dims(rows, "Layer.conv2d")[2];
        var activations = rows.GetColumn<VBuffer<float>>("Layer.conv2d").Select(v => v.DenseValues().ToArray()).ToList();
        var layer = new ChannelActivityAccumulator(channels, topImages: 3);
        for (var i = 0; i < photos.Length; i++)
            layer.Add(Path.GetFileName(photos[i]), ChannelActivity.Measure(activations[i], channels));

        var summary = layer.Summarize();

        // Per image and channel, that channel's values (channel fastest in the column).
        var split = activations.Select(a => Enumerable.Range(0, channels).Select(c => a.Where((_, i) => i % channels == c).ToArray()).ToArray()).ToList();
        for (var c = 0; c < channels; c++)
        {
            var all = split.SelectMany(image => image[c]).ToList();
            Assert.Equal(all.Average(v => (double)v), summary.Channels[c].Mean, 5);
            Assert.Equal(all.Count(v => v == 0) / (double)all.Count, summary.Channels[c].ZeroShare, 6);
            // Every photo on which the channel fired, by its own mean, highest first (all three fit in the ranking).
            var expected = split
                .Select((image, i) => (Image: Path.GetFileName(photos[i]), Values: image[c]))
                .Where(image => image.Values.Any(v => v != 0))
                .OrderByDescending(image => image.Values.Average(v => (double)v)).ThenBy(image => image.Image, StringComparer.Ordinal)
                .Select(image => image.Image);
            Assert.Equal(expected, summary.Channels[c].TopImages.Select(t => t.Image));
        }
    }
}
