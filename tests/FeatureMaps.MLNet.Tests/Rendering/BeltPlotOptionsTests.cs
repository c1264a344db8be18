using FeatureMaps.MLNet.Rendering;
using ScottPlot.Colormaps;
using Xunit;

namespace FeatureMaps.MLNet.Tests.Rendering;

public sealed class BeltPlotOptionsTests
{
    [Fact]
    public void Defaults_are_viridis_without_title_size_or_colorbar()
    {
        var options = new BeltPlotOptions();

        Assert.IsType<Viridis>(options.Colormap);
        Assert.Null(options.Title);
        Assert.Null(options.WidthPixels);
        Assert.Null(options.HeightPixels);
        Assert.False(options.ShowColorbar);
    }

    [Fact]
    public void With_derives_a_variant_and_leaves_the_original_alone()
    {
        var tutorial = BeltPlotOptions.Tutorial("conv1", 8);

        var magma = tutorial with { Colormap = new Magma() };

        Assert.IsType<Viridis>(tutorial.Colormap);
        Assert.IsType<Magma>(magma.Colormap);
        Assert.Equal((2000, 250), (magma.WidthPixels, magma.HeightPixels));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(BeltPlotOptions.MaxFigureSide + 1)]
    public void Figure_sizes_outside_1_to_MaxFigureSide_are_refused(int pixels)
    {
        Assert.Equal("WidthPixels", Assert.Throws<ArgumentOutOfRangeException>(() => new BeltPlotOptions { WidthPixels = pixels }).ParamName);
        Assert.Equal("HeightPixels", Assert.Throws<ArgumentOutOfRangeException>(() => new BeltPlotOptions { HeightPixels = pixels }).ParamName);
    }

    [Fact]
    public void A_null_colormap_is_refused() =>
        Assert.Equal("Colormap", Assert.Throws<ArgumentNullException>(() => new BeltPlotOptions { Colormap = null! }).ParamName);

    [Fact]
    public void Tutorial_refuses_a_non_positive_channel_count() =>
        Assert.Equal("channelCount", Assert.Throws<ArgumentOutOfRangeException>(() => BeltPlotOptions.Tutorial("conv1", 0)).ParamName);
}
