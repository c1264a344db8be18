using FeatureMaps.MLNet.Rendering;
using ScottPlot.Colormaps;
using Xunit;

namespace FeatureMaps.MLNet.Tests.Rendering;

public sealed class ColormapsTests
{
    [Theory]
    [InlineData("viridis", typeof(Viridis))]
    [InlineData("Viridis", typeof(Viridis))]
    [InlineData("MAGMA", typeof(Magma))]
    [InlineData("inferno", typeof(Inferno))]
    [InlineData("plasma", typeof(Plasma))]
    [InlineData("turbo", typeof(Turbo))]
    [InlineData("jet", typeof(Jet))]
    [InlineData("gray", typeof(Grayscale))]
    [InlineData("grey", typeof(Grayscale))]
    [InlineData("Greys", typeof(GrayscaleReversed))]
    [InlineData("grays", typeof(GrayscaleReversed))]
    public void Names_are_matched_case_insensitively(string name, Type type) =>
        Assert.IsType(type, Colormaps.FromName(name));

    [Fact]
    public void Gray_runs_black_to_white_and_greys_white_to_black_as_in_matplotlib()
    {
        Assert.Equal(ScottPlot.Colors.Black, Colormaps.FromName("gray").GetColor(0));
        Assert.Equal(ScottPlot.Colors.White, Colormaps.FromName("gray").GetColor(1));
        Assert.Equal(ScottPlot.Colors.White, Colormaps.FromName("greys").GetColor(0));
        Assert.Equal(ScottPlot.Colors.Black, Colormaps.FromName("greys").GetColor(1));
    }

    [Fact]
    public void The_r_suffix_reverses_a_colormap()
    {
        var reversed = Colormaps.FromName("Viridis_R");

        Assert.Equal(new Viridis().GetColor(1), reversed.GetColor(0));
        Assert.Equal(new Viridis().GetColor(0.25), reversed.GetColor(0.75));
        Assert.Contains("Viridis", reversed.Name);
    }

    [Theory]
    [InlineData("parula")]
    [InlineData("viridis_r_r")]
    [InlineData("_r")]
    public void An_unknown_name_is_refused_with_the_valid_names(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => Colormaps.FromName(name));

        Assert.Equal("name", error.ParamName);
        Assert.Contains($"'{name}'", error.Message);
        foreach (var valid in new[] { "viridis", "magma", "inferno", "plasma", "turbo", "gray", "greys", "_r" })
            Assert.Contains(valid, error.Message);
    }
}
