using SkiaSharp;

namespace FeatureMaps.MLNet.Imaging;

/// <summary>Where an upright source image lands in the target, in target pixel coordinates, for each <see cref="ResizeMode"/>.</summary>
internal static class ResizePlacement
{
    public static SKRect Compute(SKSizeI source, int width, int height, ResizeMode mode)
    {
        if (mode == ResizeMode.Stretch)
            return new SKRect(0, 0, width, height);

        var scaleX = (double)width / source.Width;
        var scaleY = (double)height / source.Height;
        // Pad fits the whole image (the smaller scale); CropCenter covers the whole target (the larger scale).
        var scale = mode == ResizeMode.Pad ? Math.Min(scaleX, scaleY) : Math.Max(scaleX, scaleY);
        var placedWidth = source.Width * scale;
        var placedHeight = source.Height * scale;
        var left = (width - placedWidth) / 2;
        var top = (height - placedHeight) / 2;
        return new SKRect((float)left, (float)top, (float)(left + placedWidth), (float)(top + placedHeight));
    }
}
