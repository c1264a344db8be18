using System.Runtime.InteropServices;
using ScottPlot;
using SkiaSharp;

namespace FeatureMaps.MLNet.Rendering;

/// <summary>
/// A belt as a ScottPlot plottable: its grey values colour-mapped once through a 256-entry table, drawn as one bitmap
/// with sharp-edged blocks. It places and scales the bitmap exactly as ScottPlot's <c>Heatmap</c> does for the same
/// values over the range 0..255 (cell centres on whole coordinates), and gives a colour bar the same axis, so figures
/// look the same; it skips the <c>double[,]</c> copy and the per-cell colormap lookups that the heatmap repeats on every
/// setting change.
/// </summary>
internal sealed class BeltImage : IPlottable, IHasColorAxis, IDisposable
{
    private static readonly ScottPlot.Range ByteRange = new(0, 255);

    private readonly SKImage _image;
    private readonly CoordinateRect _extent;

    public BeltImage(ReadOnlySpan<byte> belt, int height, int width, IColormap colormap)
    {
        Colormap = colormap;
        _extent = new CoordinateRect(-0.5, width - 0.5, -0.5, height - 0.5);

        Span<uint> palette = stackalloc uint[256];
        for (var value = 0; value < palette.Length; value++)
            palette[value] = colormap.GetColor(value, ByteRange).PremultipliedARGB;

        // Bgra8888 holds a premultiplied ARGB uint per pixel in memory order on little-endian machines, as ScottPlot's heatmap bitmap does.
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul));
        var pixels = bitmap.GetPixelSpan();
        for (var y = 0; y < height; y++)
        {
            var source = belt.Slice(y * width, width);
            var target = MemoryMarshal.Cast<byte, uint>(pixels.Slice(y * bitmap.RowBytes, width * sizeof(uint)));
            for (var x = 0; x < source.Length; x++)
                target[x] = palette[source[x]];
        }
        // Immutable, the image takes over the bitmap's pixels instead of copying them.
        bitmap.SetImmutable();
        _image = SKImage.FromBitmap(bitmap);
    }

    public bool IsVisible { get; set; } = true;

    public IAxes Axes { get; set; } = new Axes();

    public IEnumerable<LegendItem> LegendItems => [];

    public IColormap Colormap { get; }

    public ScottPlot.Range GetRange() => ByteRange;

    public AxisLimits GetAxisLimits() => new(_extent);

    public void Render(RenderPack rp)
    {
        // Anti-aliasing off in ScottPlot's shared paint, as the heatmap renders: the colour bar, drawn after the plottables
        // with that paint, otherwise blends its top and left edges, and only then matches a heatmap's figure pixel for pixel.
        rp.Paint.IsAntialias = false;
        rp.Canvas.DrawImage(_image, Axes.GetPixelRect(_extent).ToSKRect(), new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None));
    }

    public void Dispose() => _image.Dispose();
}
