using FeatureMaps.MLNet.Rendering;
using FeatureMaps.MLNet.Tests.Imaging;
using ScottPlot.Colormaps;
using Xunit;

namespace FeatureMaps.MLNet.Tests.Rendering;

public sealed class BeltPlotTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_png_has_the_requested_size()
    {
        using var png = new RenderedPng(BeltPlot.RenderPng(Gradient(12, 96), 12, 96, new BeltPlotOptions { WidthPixels = 640, HeightPixels = 210, Title = "conv1" }));

        Assert.Equal((640, 210), (png.Width, png.Height));
    }

    [Fact]
    public void Tutorial_options_for_eight_maps_give_a_2000_by_250_figure()
    {
        var options = BeltPlotOptions.Tutorial("block1_conv1", 8);

        using var png = new RenderedPng(BeltPlot.RenderPng(Gradient(16, 8 * 16), 16, 8 * 16, options));

        Assert.Equal("block1_conv1", options.Title);
        Assert.Equal((2000, 250), (png.Width, png.Height));
    }

    [Theory]
    [InlineData(1, 2000, 2000)]
    [InlineData(3, 2000, 666)]
    [InlineData(64, 2000, 31)]
    [InlineData(77, 1999, 25)] // 20/77*77 is 19.999999999999996 in double precision; matplotlib's canvas truncates
    [InlineData(4096, 2000, 1)] // matplotlib would make a 0-pixel-tall figure
    public void Tutorial_sizes_follow_matplotlib(int channels, int width, int height)
    {
        var options = BeltPlotOptions.Tutorial("layer", channels);

        Assert.Equal((width, height), (options.WidthPixels, options.HeightPixels));
    }

    [Fact]
    public void A_tutorial_figure_only_one_pixel_tall_still_renders()
    {
        using var png = new RenderedPng(BeltPlot.RenderPng(Gradient(2, 4096 * 2), 2, 4096 * 2, BeltPlotOptions.Tutorial("conv5", 4096)));

        Assert.Equal((2000, 1), (png.Width, png.Height));
    }

    [Fact]
    public void The_value_128_is_the_middle_of_the_colormap_whatever_the_belt_holds()
    {
        using var png = new RenderedPng(BeltPlot.RenderPng(Filled(20, 160, 128), 20, 160));

        var centre = png[png.Width / 2, png.Height / 2];
        Assert.True(RenderedPng.Close(centre, new Viridis().GetColor(128 / 255.0)), $"centre is {centre}");
        Assert.True(RenderedPng.Close(centre, new Viridis().GetColor(0.5)), $"centre is {centre}");
    }

    [Fact]
    public void Row_zero_is_drawn_at_the_top()
    {
        var belt = new byte[20 * 160];
        belt.AsSpan(belt.Length / 2).Fill(255);

        using var png = new RenderedPng(BeltPlot.RenderPng(belt, 20, 160));

        var top = png[png.Width / 2, png.Height / 4];
        var bottom = png[png.Width / 2, png.Height * 3 / 4];
        Assert.True(RenderedPng.Close(top, new Viridis().GetColor(0)), $"top is {top}, expected viridis' dark purple");
        Assert.True(RenderedPng.Close(bottom, new Viridis().GetColor(1)), $"bottom is {bottom}, expected viridis' yellow");
    }

    [Fact]
    public void Column_zero_is_drawn_at_the_left()
    {
        var belt = new byte[20 * 160];
        for (var y = 0; y < 20; y++)
            belt.AsSpan((y * 160) + 80, 80).Fill(255);

        using var png = new RenderedPng(BeltPlot.RenderPng(belt, 20, 160));

        Assert.True(RenderedPng.Close(png[png.Width / 4, png.Height / 2], new Viridis().GetColor(0)));
        Assert.True(RenderedPng.Close(png[png.Width * 3 / 4, png.Height / 2], new Viridis().GetColor(1)));
    }

    [Fact]
    public void The_image_fills_the_figure_edge_to_edge_without_a_title()
    {
        using var png = new RenderedPng(BeltPlot.RenderPng(Filled(20, 160, 0), 20, 160));

        var dark = new Viridis().GetColor(0);
        foreach (var (x, y) in new[] { (0, 0), (png.Width - 1, 0), (0, png.Height - 1), (png.Width - 1, png.Height - 1) })
            Assert.True(RenderedPng.Close(png[x, y], dark), $"corner ({x}, {y}) is {png[x, y]}");
    }

    [Fact]
    public void A_title_takes_a_band_above_the_image()
    {
        var options = new BeltPlotOptions { Title = "conv2d_1" };
        using var titled = new RenderedPng(BeltPlot.RenderPng(Filled(20, 160, 0), 20, 160, options));
        using var plain = new RenderedPng(BeltPlot.RenderPng(Filled(20, 160, 0), 20, 160));

        Assert.True(titled.Height > plain.Height, "room is added for the title");
        Assert.False(RenderedPng.Close(titled[2, 2], new Viridis().GetColor(0)), "the top-left corner is title background");
        Assert.True(RenderedPng.Close(titled[titled.Width / 2, titled.Height - 3], new Viridis().GetColor(0)));
    }

    [Fact]
    public void The_colormap_option_is_used()
    {
        var gray = new BeltPlotOptions { Colormap = Colormaps.FromName("gray") };

        using var black = new RenderedPng(BeltPlot.RenderPng(Filled(10, 80, 0), 10, 80, gray));
        using var white = new RenderedPng(BeltPlot.RenderPng(Filled(10, 80, 255), 10, 80, gray));

        Assert.True(RenderedPng.Close(black[black.Width / 2, black.Height / 2], ScottPlot.Colors.Black));
        Assert.True(RenderedPng.Close(white[white.Width / 2, white.Height / 2], ScottPlot.Colors.White));
    }

    [Fact]
    public void A_colorbar_takes_a_strip_on_the_right()
    {
        var options = new BeltPlotOptions { ShowColorbar = true, WidthPixels = 800, HeightPixels = 200 };

        using var with = new RenderedPng(BeltPlot.RenderPng(Filled(20, 160, 0), 20, 160, options));
        using var without = new RenderedPng(BeltPlot.RenderPng(Filled(20, 160, 0), 20, 160, options with { ShowColorbar = false }));

        var dark = new Viridis().GetColor(0);
        Assert.False(RenderedPng.Close(with[with.Width - 3, with.Height / 2], dark), "the right edge shows colour bar labels");
        Assert.True(RenderedPng.Close(with[with.Width / 2, with.Height / 2], dark));
        Assert.True(RenderedPng.Close(without[without.Width - 3, without.Height / 2], dark), "without it the image reaches the edge");
    }

    [Theory]
    [InlineData(10, 80, 600, 100)] // narrow belts widen to 600; short ones get at least 100 rows
    [InlineData(112, 896, 896, 112)] // in between, one figure pixel per belt pixel
    [InlineData(30, 4800, 2400, 100)] // wide belts shrink to 2400
    [InlineData(448, 448, 600, 600)] // a square grid stays square
    public void Default_sizes_follow_the_belt_aspect(int height, int width, int figureWidth, int figureHeight)
    {
        using var png = new RenderedPng(BeltPlot.RenderPng(Filled(height, width, 60), height, width));

        Assert.Equal((figureWidth, figureHeight), (png.Width, png.Height));
    }

    [Fact]
    public void SavePng_writes_a_png_replacing_an_existing_file_and_leaves_no_temporary_file()
    {
        var path = _folder.File("belt.png");
        File.WriteAllText(path, "an older, unrelated file");

        BeltPlot.SavePng(Gradient(10, 80), 10, 80, path, new BeltPlotOptions { WidthPixels = 300, HeightPixels = 100 });

        using var png = new RenderedPng(File.ReadAllBytes(path));
        Assert.Equal((300, 100), (png.Width, png.Height));
        Assert.Equal(["belt.png"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void SavePng_removes_its_temporary_file_when_the_final_rename_fails()
    {
        var path = _folder.File("occupied.png");
        Directory.CreateDirectory(path); // a folder cannot be replaced by a file

        var error = Record.Exception(() => BeltPlot.SavePng(Gradient(10, 80), 10, 80, path));

        Assert.True(error is IOException or UnauthorizedAccessException, $"expected a file system error, got {error}");

        Assert.Empty(Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public void A_belt_of_the_wrong_length_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => BeltPlot.RenderPng(new byte[99], 10, 10));

        Assert.Equal("belt", error.ParamName);
        Assert.Contains("height * width = 100", error.Message);
        Assert.Throws<ArgumentException>(() => BeltPlot.SavePng(new byte[101], 10, 10, _folder.File("x.png")));
        Assert.Empty(Directory.GetFiles(_folder.Path));
    }

    [Theory]
    [InlineData(0, 10, "height")]
    [InlineData(10, -1, "width")]
    public void Non_positive_sizes_are_refused(int height, int width, string parameter) =>
        Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => BeltPlot.RenderPng([], height, width)).ParamName);

    private static byte[] Filled(int height, int width, byte value)
    {
        var belt = new byte[height * width];
        belt.AsSpan().Fill(value);
        return belt;
    }

    private static byte[] Gradient(int height, int width)
    {
        var belt = new byte[height * width];
        for (var i = 0; i < belt.Length; i++)
            belt[i] = (byte)(i % width * 255 / (width - 1));
        return belt;
    }
}
