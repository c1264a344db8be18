using SkiaSharp;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// One picture per image with everything on it: a header with the model input and the prediction, then every layer's
/// rendered belt figure below each other at one common width, in model order (shallow to deep).
/// </summary>
internal static class ContactSheet
{
    public const int Width = 1200;
    private const int Margin = 16;
    private const int Gap = 12;
    private const int InputSide = 224;
    private const int TextSize = 20;
    private const int LineHeight = 28;

    /// <summary>
    /// The sheet is the largest picture of an image and was its slowest step: Sub filtering at zlib level 3 encodes it
    /// about four times faster than Skia's default (every filter, level 6) for about a fifth more bytes.
    /// </summary>
    private static readonly SKPngEncoderOptions Encoding = new(SKPngEncoderFilterFlags.Sub, 3);

    /// <summary>
    /// Tallest a layer may be on the sheet: a layer of hundreds of channels is a tall grid, shown smaller so the sheet
    /// stays an overview (its own PNG has it at full size).
    /// </summary>
    private const int MaxFigureHeight = 400;

    /// <summary>Past this height the remaining layers are left out (and the sheet says so); the layer PNGs have them all.</summary>
    private const int MaxHeight = 12_000;

    /// <param name="input">The model input.</param>
    /// <param name="title">The image's path.</param>
    /// <param name="lines">Text shown beside the input (prediction, sizes).</param>
    /// <param name="figures">The layer figures as rendered PNG bytes, in model order.</param>
    public static byte[] RenderPng(PixelBuffer input, string title, IReadOnlyList<string> lines, IReadOnlyList<byte[]> figures)
    {
        var contentWidth = Width - 2 * Margin;
        var decoded = new List<SKBitmap>(figures.Count);
        try
        {
            foreach (var figure in figures)
                decoded.Add(SKBitmap.Decode(figure) ?? throw new InvalidDataException("A rendered layer figure could not be decoded."));
            var headerHeight = Math.Max(InputSide, LineHeight * (lines.Count + 1));
            var y = Margin + headerHeight + Gap;
            var placed = new List<(SKBitmap Bitmap, SKRect Rect)>();
            foreach (var bitmap in decoded)
            {
                var scale = Math.Min(1.0, Math.Min((double)contentWidth / bitmap.Width, (double)MaxFigureHeight / bitmap.Height));
                var (w, h) = ((int)Math.Round(bitmap.Width * scale), (int)Math.Round(bitmap.Height * scale));
                if (y + h + Margin + LineHeight > MaxHeight)
                    break;
                placed.Add((bitmap, SKRect.Create(Margin + (contentWidth - w) / 2f, y, w, h)));
                y += h + Gap;
            }
            var omitted = decoded.Count - placed.Count;
            var height = y + (omitted > 0 ? LineHeight : 0) + Margin - Gap;

            using var surface = SKSurface.Create(new SKImageInfo(Width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
            var canvas = surface.Canvas;
            canvas.Clear(SKColors.White);
            using var typeface = SKTypeface.FromFamilyName("sans-serif");
            using var font = new SKFont(typeface, TextSize);
            using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            // Nearest neighbour shows the network's own pixels when its small input is enlarged.
            var sampling = new SKSamplingOptions(SKFilterMode.Nearest);
            using (var inputBitmap = InputPicture.ToBitmap(input))
            using (var inputImage = SKImage.FromBitmap(inputBitmap))
            {
                var side = InputSide / (float)Math.Max(input.Width, input.Height);
                canvas.DrawImage(inputImage, SKRect.Create(Margin, Margin, input.Width * side, input.Height * side), sampling);
            }
            var textX = Margin + InputSide + 2 * Gap;
            canvas.DrawText(title, textX, Margin + TextSize, SKTextAlign.Left, font, ink);
            for (var i = 0; i < lines.Count; i++)
                canvas.DrawText(lines[i], textX, Margin + TextSize + LineHeight * (i + 1), SKTextAlign.Left, font, ink);
            foreach (var (bitmap, rect) in placed)
            {
                using var image = SKImage.FromBitmap(bitmap);
                canvas.DrawImage(image, rect, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
            }
            if (omitted > 0)
                canvas.DrawText($"... {omitted} more layers: see their own PNG files.", Margin, height - Margin, SKTextAlign.Left, font, ink);
            using var pixels = surface.PeekPixels();
            using var png = new MemoryStream();
            if (!pixels.Encode(png, Encoding))
                throw new InvalidOperationException("SkiaSharp could not encode the contact sheet as PNG.");
            return png.ToArray();
        }
        finally
        {
            decoded.ForEach(b => b.Dispose());
        }
    }
}
