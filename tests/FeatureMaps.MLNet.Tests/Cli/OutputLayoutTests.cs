using FeatureMaps.Samples.Cli;

namespace FeatureMaps.MLNet.Tests.Cli;

public sealed class OutputLayoutTests
{
    [Theory]
    [InlineData("cat.jpg", "cat.jpg")]
    [InlineData("photos/2024/cat.jpg", "photos/2024/cat.jpg")]
    [InlineData("café au lait.jpg", "café au lait.jpg")]
    public void Plain_names_mirror_the_input_path(string relative, string folder) =>
        Assert.Equal(folder, OutputLayout.ImageFolder(relative));

    [Theory]
    [InlineData("../../etc/passwd.png")]
    [InlineData("a/../../../x.png")]
    [InlineData("/abs/x.png")]
    [InlineData("..\\..\\x.png")]
    [InlineData("a:b|c?.png")]
    public void No_image_folder_leaves_the_output_folder(string relative)
    {
        var layout = new OutputLayout(Path.Combine(Path.GetTempPath(), "layout-test"));

        var folder = OutputLayout.ImageFolder(relative);

        Assert.DoesNotContain(folder.Split('/'), s => s is "." or ".." or "");
        Assert.StartsWith(layout.Root + Path.DirectorySeparatorChar, layout.FullPath(folder));
    }

    /// <summary>mlsd's tf2onnx layer names run past 250 characters, longer than a file name may be.</summary>
    [Fact]
    public void Long_layer_names_are_cut_below_the_file_name_limit_and_stay_apart()
    {
        var stem = string.Concat(Enumerable.Repeat("WireFrameModel_with_alpha_decoder_fpn_", 8)) + "é";
        var (a, b) = (OutputLayout.LayerFile(stem + "Conv2D"), OutputLayout.LayerFile(stem + "Relu6"));

        Assert.NotEqual(a, b);
        Assert.All(new[] { a, b }, name => Assert.True(System.Text.Encoding.UTF8.GetByteCount(name) <= OutputLayout.MaxSegmentBytes + 13, name));
        Assert.StartsWith("WireFrameModel_with_alpha_decoder_fpn_", a, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_that_sanitize_alike_still_get_different_folders()
    {
        Assert.NotEqual(OutputLayout.ImageFolder("a?.png"), OutputLayout.ImageFolder("a*.png"));
        Assert.NotEqual(OutputLayout.ImageFolder("a?.png"), OutputLayout.ImageFolder("a_.png"));
    }

    [Fact]
    public void A_path_outside_the_output_folder_is_refused()
    {
        var layout = new OutputLayout(Path.Combine(Path.GetTempPath(), "layout-test"));

        Assert.Throws<InvalidDataException>(() => layout.FullPath("../elsewhere"));
    }

    [Fact]
    public void A_layer_named_like_a_file_of_the_image_folder_does_not_replace_it()
    {
        Assert.Equal("input~layer.png", OutputLayout.LayerFile("input"));
        Assert.Equal("conv2d.pgm", OutputLayout.LayerFile("conv2d", ".pgm"));
        Assert.StartsWith("model_conv_Relu_0~", OutputLayout.LayerFile("model/conv/Relu:0"));
    }
}
