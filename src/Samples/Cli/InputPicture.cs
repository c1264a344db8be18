using SkiaSharp;

namespace FeatureMaps.Samples.Cli;

/// <summary>The model input as a PNG: what the network saw after loading and resizing, for the report and contact sheet.</summary>
internal static class InputPicture
{
    /// <summary>Encodes height x width x channels bytes (1 = grey, 3 = RGB, 4 = RGBA) as a PNG.</summary>
    public static byte[] EncodePng(PixelBuffer pixels)
    {
        using var bitmap = ToBitmap(pixels);
        using var pixmap = bitmap.PeekPixels();
        return PngEncoding.Encode(pixmap, "model input");
    }

    public static SKBitmap ToBitmap(PixelBuffer pixels)
    {
        var (height, width, channels) = (pixels.Height, pixels.Width, pixels.Channels);
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var source = pixels.Span;
        var target = bitmap.GetPixelSpan();
        for (var i = 0; i < width * height; i++)
        {
            var pixel = source.Slice(i * channels, channels);
            var (r, g, b) = channels >= 3 ? (pixel[0], pixel[1], pixel[2]) : (pixel[0], pixel[0], pixel[0]);
            target[4 * i] = r;
            target[4 * i + 1] = g;
            target[4 * i + 2] = b;
            target[4 * i + 3] = channels == 4 ? pixel[3] : (byte)255;
        }
        return bitmap;
    }
}
