using SkiaSharp;

namespace FeatureMaps.MLNet.Tests.Rendering;

/// <summary>A rendered PNG decoded back, for checking sizes and sampling colours.</summary>
internal sealed class RenderedPng : IDisposable
{
    private readonly SKBitmap _bitmap;

    public RenderedPng(byte[] png) =>
        _bitmap = SKBitmap.Decode(png) ?? throw new InvalidOperationException("The bytes do not decode as an image.");

    public int Width => _bitmap.Width;

    public int Height => _bitmap.Height;

    public SKColor this[int x, int y] => _bitmap.GetPixel(x, y);

    public static bool Close(SKColor actual, ScottPlot.Color expected, int tolerance = 3) =>
        Math.Abs(actual.Red - expected.R) <= tolerance
        && Math.Abs(actual.Green - expected.G) <= tolerance
        && Math.Abs(actual.Blue - expected.B) <= tolerance;

    public void Dispose() => _bitmap.Dispose();
}
