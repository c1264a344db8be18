using FeatureMaps.MLNet.Rendering;
using SkiaSharp;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// One picture per image with everything on it: a header with the model input and the prediction, then every layer's
/// rendered belt figure below each other at one common width, in model order (shallow to deep).
/// </summary>
internal static class ContactSheet
{
    /// <summary>
    /// One typeface for every sheet, never disposed: fontconfig hands out the same cached native typeface (and SkiaSharp
    /// the same managed wrapper) to every caller, so one render worker disposing "its" copy would free it under the other
    /// worker and under ScottPlot's own cache.
    /// </summary>
    private static readonly SKTypeface Typeface = SKTypeface.FromFamilyName("sans-serif");

    public const int Width = 1200;
    private const int Margin = 16;
    private const int Gap = 12;
    private const int InputSide = 224;
    private const int TextSize = 20;
    private const int LineHeight = 28;

    /// <summary>
    /// Tallest a layer may be on the sheet: a layer of hundreds of channels is a tall grid, shown smaller so the sheet
    /// stays an overview (its own PNG has it at full size).
    /// </summary>
    private const int MaxFigureHeight = 400;

    /// <summary>Past this height the remaining layers are left out (and the sheet says so); the layer PNGs have them all.</summary>
    private const int MaxHeight = 12_000;

    private static readonly SKSamplingOptions Scaled = new(SKFilterMode.Linear, SKMipmapMode.Linear);

    /// <summary>Same pixels as <see cref="Scaled"/> for a figure placed unscaled on whole pixels, at a third of the cost.</summary>
    private static readonly SKSamplingOptions Copied = new(SKFilterMode.Nearest, SKMipmapMode.None);

    /// <param name="input">The model input.</param>
    /// <param name="title">The image's path.</param>
    /// <param name="lines">Text shown beside the input (prediction, sizes).</param>
    /// <param name="figures">The rendered layer figures, in model order (drawn as they are, not decoded from their PNGs).</param>
    public static byte[] RenderPng(PixelBuffer input, string title, IReadOnlyList<string> lines, IReadOnlyList<BeltFigure> figures)
    {
        var contentWidth = Width - 2 * Margin;
        var headerHeight = Math.Max(InputSide, LineHeight * (lines.Count + 1));
        var y = Margin + headerHeight + Gap;
        var placed = new List<(BeltFigure Figure, SKRect Rect)>();
        foreach (var figure in figures)
        {
            var scale = Math.Min(1.0, Math.Min((double)contentWidth / figure.Width, (double)MaxFigureHeight / figure.Height));
            var (w, h) = ((int)Math.Round(figure.Width * scale), (int)Math.Round(figure.Height * scale));
            if (y + h + Margin + LineHeight > MaxHeight)
                break;
            placed.Add((figure, SKRect.Create(Margin + (contentWidth - w) / 2f, y, w, h)));
            y += h + Gap;
        }
        var omitted = figures.Count - placed.Count;
        var height = y + (omitted > 0 ? LineHeight : 0) + Margin - Gap;

        using var bitmap = new SKBitmap(new SKImageInfo(Width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var font = new SKFont(Typeface, TextSize);
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
            foreach (var (figure, rect) in placed)
                figure.DrawTo(canvas, rect, IsPixelForPixel(figure, rect) ? Copied : Scaled);
            if (omitted > 0)
                canvas.DrawText($"... {omitted} more layers: see their own PNG files.", Margin, height - Margin, SKTextAlign.Left, font, ink);
        }
        // Everything is drawn over an opaque white background, so every alpha is 255 and the RGBA bytes read as RGBx are
        // the same picture: encoded without an alpha channel, a quarter less to compress.
        using var opaque = new SKPixmap(new SKImageInfo(Width, height, SKColorType.Rgb888x, SKAlphaType.Opaque), bitmap.GetPixels(), bitmap.RowBytes);
        return PngEncoding.Encode(opaque, "contact sheet");
    }

    private static bool IsPixelForPixel(BeltFigure figure, SKRect rect) =>
        rect.Width == figure.Width && rect.Height == figure.Height && rect.Left == MathF.Floor(rect.Left) && rect.Top == MathF.Floor(rect.Top);
}
