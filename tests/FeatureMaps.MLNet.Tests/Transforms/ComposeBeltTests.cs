using FeatureMaps.MLNet.Transforms;
using Microsoft.ML;

namespace FeatureMaps.MLNet.Tests.Transforms;

public class ComposeBeltTests
{
    [Fact]
    public void Seed_belts_have_the_tutorials_geometry_and_place_channel_i_at_columns_i_times_W()
    {
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var result = SeedPipeline.Build(ml).Fit(images).Transform(images);

        Assert.Equal([148, 1184], SeedPipeline.Dims(result, "Belt.conv2d"));
        Assert.Equal([74, 592], SeedPipeline.Dims(result, "Belt.max_pooling2d"));
        Assert.Equal([34, 1088], SeedPipeline.Dims(result, "Belt.conv2d_2"));
        Assert.Equal([17, 544], SeedPipeline.Dims(result, "Belt.max_pooling2d_2"));

        // belt[:, i*W:(i+1)*W] = channel i, as the tutorial's image_belt.
        var display = SeedPipeline.First<byte>(result, "Display.conv2d_1");
        var belt = SeedPipeline.First<byte>(result, "Belt.conv2d_1");
        const int h = 72, w = 72, k = 16;
        for (var y = 0; y < h; y++)
            for (var i = 0; i < k; i++)
                for (var x = 0; x < w; x++)
                    Assert.Equal(display[(y * w + x) * k + i], belt[y * (k * w) + i * w + x]);
    }

    [Fact]
    public void A_grid_wraps_channels_into_rows_with_spacing()
    {
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var result = SeedPipeline.Build(ml, channelsPerRow: 5, spacing: 3).Fit(images).Transform(images);

        // conv2d: 8 channels of 148x148 in rows of 5 -> 2 rows, the last with 3 tiles and 2 empty slots.
        Assert.Equal([2 * 151 - 3, 5 * 151 - 3], SeedPipeline.Dims(result, "Belt.conv2d"));
        var display = SeedPipeline.First<byte>(result, "Display.conv2d");
        var belt = SeedPipeline.First<byte>(result, "Belt.conv2d");
        const int h = 148, w = 148, k = 8, width = 5 * 151 - 3;
        for (var i = 0; i < k; i++)
        {
            var (top, left) = (i / 5 * 151, i % 5 * 151);
            foreach (var (y, x) in new[] { (0, 0), (h - 1, w - 1), (70, 33) })
                Assert.Equal(display[(y * w + x) * k + i], belt[(top + y) * width + left + x]);
        }
        Assert.Equal(ComposeBeltOptions.Defaults.Background, belt[148 * width + 10]); // a gap row
        Assert.Equal(ComposeBeltOptions.Defaults.Background, belt[200 * width + 4 * 151 + 10]); // an empty slot
    }

    [Fact]
    public void Geometry_is_computed_from_the_options()
    {
        var ml = new MLContext();
        var estimator = ml.Transforms.ComposeBelt(new ComposeBeltOptions { ChannelsPerRow = 8, Spacing = 2, MaxChannels = 20 });
        var geometry = estimator.GeometryFor(10, 12, 512);
        Assert.Equal((20, 8, 3), (geometry.Channels, geometry.Columns, geometry.Rows));
        Assert.Equal((3 * 12 - 2, 8 * 14 - 2), (geometry.Height, geometry.Width));
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ComposeBelt(channelsPerRow: 0));
    }
}
