using FeatureMaps.Samples.Cli;

namespace FeatureMaps.MLNet.Tests.Cli;

public sealed class ChannelCapTests
{
    [Fact]
    public void Max_channels_draws_the_first_n_maps_of_a_wide_layer()
    {
        using var temp = new TempFolder();
        var images = OutputFolder.CopyPhotos(temp.File("images"), 1);
        var output = temp.File("out");

        var result = CliProcess.Run("run", "--model", TestData.SeedModel, "--images", images, "--out", output,
            "--layers", "conv2d_2", "--max-channels", "4", "--spacing", "2", "--pgm");

        Assert.True(result.ExitCode == 0, result.ToString());
        var pgm = Assert.Single(Directory.EnumerateFiles(output, "conv2d_2.pgm", SearchOption.AllDirectories));
        var (height, width, _) = Pgm.Read(pgm);
        Assert.Equal((34, 4 * 34 + 3 * 2), (height, width)); // 4 of the layer's 32 maps of 34x34, in one row
    }

    [Fact]
    public void Most_active_keeps_the_geometry_and_draws_other_maps()
    {
        using var temp = new TempFolder();
        var images = OutputFolder.CopyPhotos(temp.File("images"), 1);
        string[] common = ["run", "--model", TestData.SeedModel, "--images", images, "--layers", "conv2d_2", "--max-channels", "4", "--spacing", "2", "--pgm"];

        var first = CliProcess.Run([.. common, "--out", temp.File("first")]);
        var active = CliProcess.Run([.. common, "--out", temp.File("active"), "--channels", "most-active"]);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(active.ExitCode == 0, active.ToString());
        var (a, b) = (Single(temp.File("first")), Single(temp.File("active")));
        Assert.Equal((a.Height, a.Width), (b.Height, b.Width));
        Assert.NotEqual(a.Pixels, b.Pixels);
    }

    [Fact]
    public void The_title_states_which_channels_a_capped_layer_shows()
    {
        var options = new RunOptions { ImagesPath = "images", OutPath = "out", MaxChannels = 16 };

        Assert.Equal("block4 (first 16 of 512 channels)", options.TitleOf("block4", 512));
        Assert.Equal("block4 (16 most active of 512 channels, by mean activation)",
            (options with { ChannelChoice = FeatureMaps.MLNet.Transforms.ChannelChoice.MostActive }).TitleOf("block4", 512));
        Assert.Equal("conv1", options.TitleOf("conv1", 16));
    }

    private static (int Height, int Width, byte[] Pixels) Single(string output) =>
        Pgm.Read(Assert.Single(Directory.EnumerateFiles(output, "conv2d_2.pgm", SearchOption.AllDirectories)));
}
