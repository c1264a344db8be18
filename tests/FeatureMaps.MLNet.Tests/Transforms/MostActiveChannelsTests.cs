using FeatureMaps.MLNet.Transforms;
using Microsoft.ML;

namespace FeatureMaps.MLNet.Tests.Transforms;

/// <summary>ComposeBelt's "n most active channels" on the seed CNN's 32-channel conv2d_2 looking at a real photo.</summary>
public sealed class MostActiveChannelsTests
{
    [Fact]
    public void Most_active_shows_the_channels_with_the_largest_mean_activation_in_that_order()
    {
        const int shown = 4;
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var result = ml.Transforms.LoadAndResize("Image", "ImagePath", width: 150, height: 150)
            .Append(ml.Transforms.ExtractLayerOutputs(TestData.SeedModel, "Image"))
            .Append(ml.Transforms.NormalizeForDisplay())
            .Append(ml.Transforms.ComposeBelt(new ComposeBeltOptions { MaxChannels = shown, Choice = ChannelChoice.MostActive }))
            .Fit(images).Transform(images);

        var activations = SeedPipeline.First<float>(result, "Layer.conv2d_2");
        var display = SeedPipeline.First<byte>(result, "Display.conv2d_2");
        var belt = SeedPipeline.First<byte>(result, "Belt.conv2d_2");
        var (h, w, c) = (34, 34, 32);
        Assert.Equal([h, w, c], SeedPipeline.Dims(result, "Layer.conv2d_2"));
        Assert.Equal([h, shown * w], SeedPipeline.Dims(result, "Belt.conv2d_2"));
        var means = Enumerable.Range(0, c).Select(ch => Enumerable.Range(0, h * w).Average(p => (double)activations[p * c + ch])).ToArray();
        var expected = Enumerable.Range(0, c).OrderByDescending(ch => means[ch]).Take(shown).ToArray();
        Assert.NotEqual(Enumerable.Range(0, shown).ToArray(), expected); // otherwise "first" and "most active" could not be told apart
        for (var tile = 0; tile < shown; tile++)
            for (var y = 0; y < h; y++)
                for (var x = 0; x < w; x++)
                    Assert.Equal(display[(y * w + x) * c + expected[tile]], belt[y * shown * w + tile * w + x]);
    }

    [Fact]
    public void A_layer_within_the_cap_keeps_its_channels_in_index_order()
    {
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var result = ml.Transforms.LoadAndResize("Image", "ImagePath", width: 150, height: 150)
            .Append(ml.Transforms.ExtractLayerOutputs(TestData.SeedModel, "Image"))
            .Append(ml.Transforms.NormalizeForDisplay())
            .Append(ml.Transforms.ComposeBelt(new ComposeBeltOptions { MaxChannels = 8, Choice = ChannelChoice.MostActive }))
            .Fit(images).Transform(images);

        // conv2d has exactly 8 channels: nothing is left out, so nothing is reordered (the title names no choice either).
        var display = SeedPipeline.First<byte>(result, "Display.conv2d");
        var belt = SeedPipeline.First<byte>(result, "Belt.conv2d");
        var (h, w, c) = (148, 148, 8);
        Assert.Equal([h, c * w], SeedPipeline.Dims(result, "Belt.conv2d"));
        var activations = SeedPipeline.First<float>(result, "Layer.conv2d");
        var byActivity = Enumerable.Range(0, c).OrderByDescending(ch => Enumerable.Range(0, h * w).Average(p => (double)activations[p * c + ch])).ToArray();
        Assert.NotEqual(Enumerable.Range(0, c).ToArray(), byActivity); // otherwise index order and activity order could not be told apart
        for (var tile = 0; tile < c; tile++)
            for (var y = 0; y < h; y += 7)
                for (var x = 0; x < w; x += 7)
                    Assert.Equal(display[(y * w + x) * c + tile], belt[y * c * w + tile * w + x]);
    }

    [Fact]
    public void Most_active_needs_the_raw_activations_and_names_the_missing_column()
    {
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var pipeline = ml.Transforms.LoadAndResize("Image", "ImagePath", width: 150, height: 150)
            .Append(ml.Transforms.ExtractLayerOutputs(TestData.SeedModel, "Image"))
            .Append(ml.Transforms.NormalizeForDisplay(new NormalizeForDisplayOptions { Columns = [("Layer.conv2d", "Shown.conv2d")] }))
            .Append(ml.Transforms.ComposeBelt(new ComposeBeltOptions { Columns = [("Shown.conv2d", "Belt.conv2d")], MaxChannels = 2, Choice = ChannelChoice.MostActive }));

        var error = Assert.ThrowsAny<Exception>(() => pipeline.Fit(images));
        Assert.Contains("Layer.Shown.conv2d", error.Message, StringComparison.Ordinal);
    }
}
