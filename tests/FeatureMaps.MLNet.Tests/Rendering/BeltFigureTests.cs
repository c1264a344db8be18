using FeatureMaps.MLNet.Rendering;
using ScottPlot;
using SkiaSharp;
using Xunit;

namespace FeatureMaps.MLNet.Tests.Rendering;

public sealed class BeltFigureTests
{
    public static TheoryData<string, int, int, BeltPlotOptions> Figures => new()
    {
        { "titled", 20, 160, new BeltPlotOptions { Title = "conv2d" } },
        { "untitled", 148, 1198, new BeltPlotOptions() },
        { "shrunk to 2400", 30, 4800, new BeltPlotOptions { Title = "wide" } },
        { "square grid", 448, 448, new BeltPlotOptions { Title = "grid" } },
        { "colour bar", 20, 160, new BeltPlotOptions { Title = "bar", ShowColorbar = true, WidthPixels = 800, HeightPixels = 240 } },
        { "tutorial", 16, 8 * 16, BeltPlotOptions.Tutorial("block1_conv1", 8) },
        { "gray", 37, 301, new BeltPlotOptions { Title = "gray", Colormap = Colormaps.FromName("gray") } },
        { "reversed", 37, 301, new BeltPlotOptions { Title = "magma_r", Colormap = Colormaps.FromName("magma_r") } },
    };

    [Theory]
    [MemberData(nameof(Figures))]
    public void Figures_are_pixel_for_pixel_what_ScottPlots_heatmap_draws(string figure, int height, int width, BeltPlotOptions options)
    {
        var belt = EveryValue(height, width);

        using var drawn = new RenderedPng(BeltPlot.RenderPng(belt, height, width, options));
        using var reference = new RenderedPng(HeatmapFigure(belt, height, width, options));

        Assert.Equal((reference.Width, reference.Height), (drawn.Width, drawn.Height));
        var different = CountDifferentPixels(reference, drawn);
        Assert.True(different == 0, $"{figure}: {different} of {drawn.Width * drawn.Height} pixels differ from the heatmap's");
    }

    [Fact]
    public void Render_holds_the_figure_that_RenderPng_encodes()
    {
        var options = new BeltPlotOptions { Title = "conv2d_1" };
        var belt = EveryValue(74, 606);

        using var figure = BeltPlot.Render(belt, 74, 606, options);

        Assert.Equal(BeltPlot.FigureSize(options, 74, 606), (figure.Width, figure.Height));
        Assert.Equal(BeltPlot.RenderPng(belt, 74, 606, options), figure.EncodePng());
    }

    [Fact]
    public void The_png_is_opaque_rgb()
    {
        using var figure = BeltPlot.Render(EveryValue(10, 80), 10, 80);
        using var codec = SKCodec.Create(new MemoryStream(figure.EncodePng()));

        Assert.Equal(SKEncodedImageFormat.Png, codec.EncodedFormat);
        Assert.Equal(SKAlphaType.Opaque, codec.Info.AlphaType);
    }

    [Fact]
    public void DrawTo_at_its_own_size_copies_the_figure_pixel_for_pixel_to_where_it_is_placed()
    {
        using var figure = BeltPlot.Render(EveryValue(20, 160), 20, 160, new BeltPlotOptions { Title = "conv2d" });
        using var png = new RenderedPng(figure.EncodePng());
        using var sheet = new SKBitmap(new SKImageInfo(figure.Width + 30, figure.Height + 40, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(sheet))
        {
            canvas.Clear(SKColors.Red);
            figure.DrawTo(canvas, SKRect.Create(10, 20, figure.Width, figure.Height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }

        Assert.Equal(SKColors.Red, sheet.GetPixel(9, 19));
        Assert.Equal(SKColors.Red, sheet.GetPixel(10 + figure.Width, 20 + figure.Height));
        var different = 0;
        for (var y = 0; y < figure.Height; y++)
            for (var x = 0; x < figure.Width; x++)
                different += sheet.GetPixel(x + 10, y + 20) == png[x, y] ? 0 : 1;
        Assert.Equal(0, different);
    }

    [Fact]
    public void A_disposed_figure_cannot_be_used()
    {
        var figure = BeltPlot.Render(EveryValue(10, 80), 10, 80);
        figure.Dispose();
        figure.Dispose();

        Assert.Throws<ObjectDisposedException>(() => figure.EncodePng());
        Assert.Throws<ObjectDisposedException>(() => figure.Width);
    }

    [Fact]
    public void Render_refuses_a_belt_of_the_wrong_length() =>
        Assert.Equal("belt", Assert.Throws<ArgumentException>(() => BeltPlot.Render(new byte[99], 10, 10)).ParamName);

    /// <summary>
    /// The figure as ScottPlot's own heatmap draws it (the way <see cref="BeltPlot"/> drew belts before it colour-mapped
    /// them itself): the belt as a double[,], the colormap over 0..255, the same layout and size.
    /// </summary>
    private static byte[] HeatmapFigure(byte[] belt, int height, int width, BeltPlotOptions options)
    {
        var intensities = new double[height, width];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                intensities[y, x] = belt[(y * width) + x];
        using var plot = new Plot();
        var heatmap = plot.Add.Heatmap(intensities);
        heatmap.Colormap = options.Colormap;
        heatmap.ManualRange = new ScottPlot.Range(0, 255);
        BeltPlot.Layout(plot, heatmap, options);
        var (figureWidth, figureHeight) = BeltPlot.FigureSize(options, height, width);
        return plot.GetImageBytes(figureWidth, figureHeight, ImageFormat.Png);
    }

    /// <summary>Every grey level, scattered so that neighbouring cells differ.</summary>
    private static byte[] EveryValue(int height, int width)
    {
        var belt = new byte[height * width];
        for (var i = 0; i < belt.Length; i++)
            belt[i] = (byte)(i * 97 + i / width * 31);
        return belt;
    }

    private static int CountDifferentPixels(RenderedPng expected, RenderedPng actual)
    {
        var different = 0;
        for (var y = 0; y < expected.Height; y++)
            for (var x = 0; x < expected.Width; x++)
                different += expected[x, y] == actual[x, y] ? 0 : 1;
        return different;
    }
}
