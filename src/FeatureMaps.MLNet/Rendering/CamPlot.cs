using ScottPlot;

namespace FeatureMaps.MLNet.Rendering;

/// <summary>
/// Draws the input image and its class-activation overlay (<see cref="CamOverlay"/>) side by side with ScottPlot,
/// with a title (e.g. the target class and its probability) and no axes.
/// </summary>
public static class CamPlot
{
    private const int Gap = 8;
    private const int TitleRoom = 40;

    /// <summary>Renders the figure to PNG bytes.</summary>
    /// <param name="map">The map, <paramref name="mapHeight"/> x <paramref name="mapWidth"/>, values 0..1 (see <see cref="CamOverlay"/> for NaN and constant maps).</param>
    /// <param name="mapHeight">Rows of the map.</param>
    /// <param name="mapWidth">Columns of the map.</param>
    /// <param name="image">The image the map was made from: float height x width x channels, 0..255.</param>
    /// <param name="height">Image rows.</param>
    /// <param name="width">Image columns.</param>
    /// <param name="channels">1, 3 or 4.</param>
    /// <param name="title">The figure's title, or null for none.</param>
    /// <param name="options">Colormap and alpha; null for the defaults.</param>
    /// <param name="scale">Figure pixels per image pixel (the figure is about 2 x width by height times this).</param>
    public static byte[] RenderPng(ReadOnlySpan<float> map, int mapHeight, int mapWidth, ReadOnlySpan<float> image, int height, int width, int channels,
        string? title = null, CamOverlayOptions? options = null, int scale = 2)
    {
        Guard.InRange(scale, 1, 8);
        var overlay = CamOverlay.Blend(map, mapHeight, mapWidth, image, height, width, channels, options);
        var photo = new byte[height * width * 3];
        for (var i = 0; i < height * width; i++)
            for (var c = 0; c < 3; c++)
                photo[i * 3 + c] = (byte)Math.Clamp(MathF.Round(image[i * channels + (channels == 1 ? 0 : c)]), 0f, 255f);

        using var plot = new Plot();
        // Each image wraps a native Skia image: disposed here rather than left to the finalizer thread.
        using var photoImage = ToImage(photo, height, width);
        using var overlayImage = ToImage(overlay, height, width);
        plot.Add.ImageRect(photoImage, new CoordinateRect(0, width, 0, height));
        plot.Add.ImageRect(overlayImage, new CoordinateRect(width + Gap, 2 * width + Gap, 0, height));
        plot.Axes.SetLimits(0, 2 * width + Gap, 0, height);
        plot.Axes.Margins(0, 0);
        plot.HideGrid();
        foreach (var axis in new IAxis[] { plot.Axes.Left, plot.Axes.Right, plot.Axes.Top, plot.Axes.Bottom })
            axis.IsVisible = false;
        if (!string.IsNullOrEmpty(title))
            plot.Title(title);
        var figureHeight = height * scale + (string.IsNullOrEmpty(title) ? 0 : TitleRoom);
        return plot.GetImageBytes((2 * width + Gap) * scale, figureHeight, ImageFormat.Png);
    }

    /// <summary>Renders the figure and writes it atomically to <paramref name="path"/> (a temporary file renamed over it).</summary>
    public static void SavePng(string path, ReadOnlySpan<float> map, int mapHeight, int mapWidth, ReadOnlySpan<float> image, int height, int width, int channels,
        string? title = null, CamOverlayOptions? options = null, int scale = 2)
    {
        Guard.NotNullOrEmpty(path);
        AtomicFile.WriteAllBytes(path, RenderPng(map, mapHeight, mapWidth, image, height, width, channels, title, options, scale));
    }

    /// <summary>ScottPlot's image from RGB rows (its array is y, x, colour).</summary>
    private static Image ToImage(byte[] rgb, int height, int width)
    {
        var pixels = new byte[height, width, 3];
        Buffer.BlockCopy(rgb, 0, pixels, 0, rgb.Length);
        return new Image(pixels);
    }
}
