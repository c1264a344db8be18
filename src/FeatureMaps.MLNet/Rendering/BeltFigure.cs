using SkiaSharp;

namespace FeatureMaps.MLNet.Rendering;

/// <summary>
/// A belt drawn as a figure by <see cref="BeltPlot.Render"/>, held in memory: encode it as PNG, draw it into a larger
/// picture (a contact sheet) without decoding a PNG again, or both. Opaque RGB; dispose it to free its pixels.
/// </summary>
public sealed class BeltFigure : IDisposable
{
    /// <summary>
    /// Up filtering at zlib level 1: about four times faster than Skia's default (every filter, level 6), and on feature-map
    /// figures, whose rows repeat the rows above, the files come out within a few percent of the default's size.
    /// </summary>
    private static readonly SKPngEncoderOptions PngEncoding = new(SKPngEncoderFilterFlags.Up, 1);

    private SKBitmap? _bitmap;

    /// <param name="rendered">The figure as ScottPlot drew it, premultiplied RGBA. Its background is opaque, so it is kept
    /// as RGB without alpha: the same colours, a quarter less to encode.</param>
    internal BeltFigure(SKPixmap rendered)
    {
        var bitmap = new SKBitmap(new SKImageInfo(rendered.Width, rendered.Height, SKColorType.Rgb888x, SKAlphaType.Opaque));
        using (var target = bitmap.PeekPixels())
        {
            if (!rendered.ReadPixels(target))
            {
                bitmap.Dispose();
                throw new InvalidOperationException("SkiaSharp could not convert the figure to RGB.");
            }
        }
        bitmap.SetImmutable();
        _bitmap = bitmap;
    }

    /// <summary>Width in pixels.</summary>
    public int Width => Bitmap.Width;

    /// <summary>Height in pixels.</summary>
    public int Height => Bitmap.Height;

    private SKBitmap Bitmap => _bitmap ?? throw new ObjectDisposedException(nameof(BeltFigure));

    /// <summary>The figure as PNG bytes (8-bit RGB, no alpha channel).</summary>
    public byte[] EncodePng()
    {
        using var pixels = Bitmap.PeekPixels();
        using var png = pixels.Encode(PngEncoding) ?? throw new InvalidOperationException("SkiaSharp could not encode the figure as PNG.");
        return png.ToArray();
    }

    /// <summary>Draws the figure into <paramref name="destination"/> on <paramref name="canvas"/>, scaled with <paramref name="sampling"/>.</summary>
    public void DrawTo(SKCanvas canvas, SKRect destination, SKSamplingOptions sampling)
    {
        Guard.NotNull(canvas);
        // The bitmap is immutable, so the image shares its pixels instead of copying them.
        using var image = SKImage.FromBitmap(Bitmap);
        canvas.DrawImage(image, destination, sampling);
    }

    /// <summary>Frees the pixels; the figure cannot be used afterwards.</summary>
    public void Dispose()
    {
        _bitmap?.Dispose();
        _bitmap = null;
    }
}
