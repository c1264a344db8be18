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
}
