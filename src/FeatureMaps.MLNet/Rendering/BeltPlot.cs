using ScottPlot;
using SkiaSharp;

namespace FeatureMaps.MLNet.Rendering;

/// <summary>
/// Draws a feature-map belt (a grey uint8 image, row-major, row 0 at the top) as a colour-mapped PNG with ScottPlot.
/// Values map onto the colormap over the fixed range 0..255, so 128 is always its middle, whatever the belt holds.
/// </summary>
/// <remarks>
/// The belt is stretched to fill the data area (matplotlib's <c>aspect='auto'</c>) with no axes, ticks or grid, and
/// each belt pixel is drawn as a sharp-edged block (like <c>interpolation='nearest'</c>).
/// </remarks>
public static class BeltPlot
{
    // Room the layout takes from the figure around the data area, so default sizes keep the data area close to
    // the belt's aspect ratio. Measured with ScottPlot's default fonts.
    private const int TitleRoom = 40;
    private const int ColorbarRoom = 75;
    // The colour bar's end labels overhang the data area by half a line; empty strips above and below make room.
    private const int ColorbarLabelStrip = 10;

    private const int MinDefaultWidth = 600;
    private const int MaxDefaultWidth = 2400;
    private const int MinDefaultDataHeight = 100;
    private const int MaxDefaultDataHeight = 2400;

    /// <summary>Renders the belt to PNG bytes.</summary>
    /// <param name="belt">height × width grey values, row-major.</param>
    /// <param name="height">Rows in the belt.</param>
    /// <param name="width">Columns in the belt.</param>
    /// <param name="options">Title, colormap and size; <see langword="null"/> for the defaults.</param>
    public static byte[] RenderPng(ReadOnlySpan<byte> belt, int height, int width, BeltPlotOptions? options = null)
    {
        using var figure = Render(belt, height, width, options);
        return figure.EncodePng();
    }

    /// <summary>
    /// Renders the belt to a figure in memory, for callers that both save it and draw it elsewhere (a contact sheet):
    /// the same pixels <see cref="RenderPng"/> encodes, without a PNG round trip.
    /// </summary>
    /// <param name="belt">height × width grey values, row-major.</param>
    /// <param name="height">Rows in the belt.</param>
    /// <param name="width">Columns in the belt.</param>
    /// <param name="options">Title, colormap and size; <see langword="null"/> for the defaults.</param>
    /// <returns>The figure; the caller disposes it.</returns>
    public static BeltFigure Render(ReadOnlySpan<byte> belt, int height, int width, BeltPlotOptions? options = null)
    {
        Guard.Positive(height);
        Guard.Positive(width);
        Guard.LengthEquals(belt.Length, (long)height * width, "height * width", nameof(belt));
        options ??= BeltPlotOptions.Default;

        var (figureWidth, figureHeight) = FigureSize(options, height, width);
        using var image = new BeltImage(belt, height, width, options.Colormap);
        using var plot = new Plot();
        plot.Add.Plottable(image);
        Layout(plot, image, options);
        // Premultiplied RGBA, as ScottPlot's own GetImage draws.
        var bitmap = new SKBitmap(new SKImageInfo(figureWidth, figureHeight, SKColorType.Rgba8888, SKAlphaType.Premul));
        try
        {
            using (var surface = SKSurface.Create(bitmap.Info, bitmap.GetPixels(), bitmap.RowBytes)
                ?? throw new InvalidOperationException($"SkiaSharp could not create a {figureWidth} x {figureHeight} canvas."))
                plot.Render(surface.Canvas, figureWidth, figureHeight);
            return new BeltFigure(bitmap);
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Renders the belt and writes it to <paramref name="path"/> atomically: the PNG is written to a temporary file
    /// beside it and then renamed over <paramref name="path"/>, so a killed process never leaves a half-written image.
    /// </summary>
    /// <param name="belt">height × width grey values, row-major.</param>
    /// <param name="height">Rows in the belt.</param>
    /// <param name="width">Columns in the belt.</param>
    /// <param name="path">The PNG file to create or replace; its folder must exist.</param>
    /// <param name="options">Title, colormap and size; <see langword="null"/> for the defaults.</param>
    public static void SavePng(ReadOnlySpan<byte> belt, int height, int width, string path, BeltPlotOptions? options = null)
    {
        Guard.NotNullOrEmpty(path);
        AtomicFile.WriteAllBytes(path, RenderPng(belt, height, width, options));
    }

    /// <summary>The figure size, filling in whichever of the options' width and height is unset.</summary>
    internal static (int Width, int Height) FigureSize(BeltPlotOptions options, int beltHeight, int beltWidth)
    {
        var colorbarRoom = options.ShowColorbar ? ColorbarRoom : 0;
        var width = options.WidthPixels ?? Math.Clamp(beltWidth, MinDefaultWidth, MaxDefaultWidth) + colorbarRoom;
        if (options.HeightPixels is { } height)
            return (width, height);

        var dataWidth = Math.Max(1, width - colorbarRoom);
        var dataHeight = Math.Clamp((int)Math.Round((double)dataWidth * beltHeight / beltWidth), MinDefaultDataHeight, MaxDefaultDataHeight);
        var room = (string.IsNullOrEmpty(options.Title) ? 0 : TitleRoom) + (options.ShowColorbar ? 2 * ColorbarLabelStrip : 0);
        return (width, Math.Min(dataHeight + room, BeltPlotOptions.MaxFigureSide));
    }

    /// <summary>Everything around the belt's plottable: no grid, margins or axes, the title and the colour bar.</summary>
    internal static void Layout(Plot plot, IHasColorAxis belt, BeltPlotOptions options)
    {
        plot.HideGrid();
        plot.Axes.Margins(0, 0);
        plot.Axes.Left.IsVisible = false;
        plot.Axes.Right.IsVisible = false;
        if (!string.IsNullOrEmpty(options.Title))
            plot.Title(options.Title);

        if (options.ShowColorbar)
        {
            plot.Add.ColorBar(belt);
            // Hidden axes take no room at all, so the top and bottom ones stay, emptied, as fixed-height strips.
            foreach (var axis in new IAxis[] { plot.Axes.Top, plot.Axes.Bottom })
            {
                axis.TickGenerator = new ScottPlot.TickGenerators.EmptyTickGenerator();
                axis.FrameLineStyle.Width = 0;
                axis.MinimumSize = ColorbarLabelStrip;
                axis.MaximumSize = ColorbarLabelStrip;
            }
        }
        else
        {
            plot.Axes.Top.IsVisible = false;
            plot.Axes.Bottom.IsVisible = false;
        }
    }
}
