using FeatureMaps.MLNet.Imaging;

namespace FeatureMaps.MLNet.Rendering;

/// <summary>
/// Blends a class activation map over the image it was computed on: the map (any size, values 0..1 as
/// <c>ClassActivationMap</c> writes them) is upsampled bilinearly to the image, coloured and alpha-blended.
/// </summary>
/// <remarks>
/// Contract: map values are used as given, clamped to 0..1, never re-normalized, so a constant map (the estimator
/// writes all zeros when a map has no spread) tints the whole picture evenly with one colour instead of inventing
/// contrast. A NaN in the map leaves the pixels it covers as the plain photo (no colour). The image is
/// <c>LoadAndResize</c>'s: float height x width x channels, RGB(A) 0..255; grey images (1 channel) are shown grey,
/// alpha is ignored; values outside 0..255 are clamped.
/// </remarks>
public static class CamOverlay
{
    /// <summary>The blended picture as RGB bytes, height x width x 3, row-major.</summary>
    /// <param name="map">The map, <paramref name="mapHeight"/> x <paramref name="mapWidth"/>, row-major.</param>
    /// <param name="mapHeight">Rows of the map.</param>
    /// <param name="mapWidth">Columns of the map.</param>
    /// <param name="image">The image, <paramref name="height"/> x <paramref name="width"/> x <paramref name="channels"/>, values 0..255.</param>
    /// <param name="height">Image rows.</param>
    /// <param name="width">Image columns.</param>
    /// <param name="channels">1, 3 or 4.</param>
    /// <param name="options">Colormap and alpha; null for the defaults.</param>
    public static byte[] Blend(ReadOnlySpan<float> map, int mapHeight, int mapWidth, ReadOnlySpan<float> image, int height, int width, int channels,
        CamOverlayOptions? options = null)
    {
        Guard.Positive(mapHeight);
        Guard.Positive(mapWidth);
        Guard.Positive(height);
        Guard.Positive(width);
        Guard.IsTrue(channels is 1 or 3 or 4, channels, $"The image must have 1, 3 or 4 channels; it has {channels}.");
        Guard.LengthEquals(map.Length, (long)mapHeight * mapWidth, "mapHeight * mapWidth", nameof(map));
        Guard.LengthEquals(image.Length, (long)height * width * channels, "height * width * channels", nameof(image));
        options ??= CamOverlayOptions.Default;
        Guard.IsTrue(options.Alpha is >= 0 and <= 1, options.Alpha, $"Alpha must lie in 0..1; it is {options.Alpha}.");

        var palette = Palette(options);
        var alpha = (float)options.Alpha;
        var result = new byte[height * width * 3];
        var columns = new (int Lower, int Upper, float Weight)[width];
        for (var x = 0; x < width; x++)
            columns[x] = BilinearWeights.Sample(x, mapWidth, width);
        var mapRow = new float[width]; // one upsampled row, reused
        for (var y = 0; y < height; y++)
        {
            var (top, bottom, weight) = BilinearWeights.Sample(y, mapHeight, height);
            UpsampleRow(map.Slice(top * mapWidth, mapWidth), map.Slice(bottom * mapWidth, mapWidth), weight, columns, mapRow);
            BlendRow(mapRow, image.Slice(y * width * channels, width * channels), channels, palette, alpha, result.AsSpan(y * width * 3, width * 3));
        }
        return result;
    }

    /// <summary>The map upsampled to <paramref name="height"/> x <paramref name="width"/> (bilinear, pixel centres aligned), NaN kept where it touches.</summary>
    public static float[] Upsample(ReadOnlySpan<float> map, int mapHeight, int mapWidth, int height, int width)
    {
        Guard.LengthEquals(map.Length, (long)mapHeight * mapWidth, "mapHeight * mapWidth", nameof(map));
        Guard.Positive(height);
        Guard.Positive(width);
        var columns = new (int Lower, int Upper, float Weight)[width];
        for (var x = 0; x < width; x++)
            columns[x] = BilinearWeights.Sample(x, mapWidth, width);
        var result = new float[height * width];
        for (var y = 0; y < height; y++)
        {
            var (top, bottom, weight) = BilinearWeights.Sample(y, mapHeight, height);
            UpsampleRow(map.Slice(top * mapWidth, mapWidth), map.Slice(bottom * mapWidth, mapWidth), weight, columns, result.AsSpan(y * width, width));
        }
        return result;
    }

    private static void UpsampleRow(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, float weight, ReadOnlySpan<(int Lower, int Upper, float Weight)> columns, Span<float> row)
    {
        for (var x = 0; x < row.Length; x++)
        {
            var (left, right, w) = columns[x];
            var upper = top[left] + (top[right] - top[left]) * w;
            var lower = bottom[left] + (bottom[right] - bottom[left]) * w;
            row[x] = upper + (lower - upper) * weight;
        }
    }

    private static void BlendRow(ReadOnlySpan<float> mapRow, ReadOnlySpan<float> pixels, int channels, ReadOnlySpan<byte> palette, float alpha, Span<byte> output)
    {
        for (var x = 0; x < mapRow.Length; x++)
        {
            var pixel = pixels.Slice(x * channels, channels);
            var (r, g, b) = channels == 1 ? (pixel[0], pixel[0], pixel[0]) : (pixel[0], pixel[1], pixel[2]);
            var value = mapRow[x];
            var target = output.Slice(x * 3, 3);
            if (float.IsNaN(value))
            {
                target[0] = ToByte(r);
                target[1] = ToByte(g);
                target[2] = ToByte(b);
                continue;
            }
            var colour = palette.Slice(ToByte(Math.Clamp(value, 0f, 1f) * 255f) * 3, 3);
            target[0] = ToByte(r * (1 - alpha) + colour[0] * alpha);
            target[1] = ToByte(g * (1 - alpha) + colour[1] * alpha);
            target[2] = ToByte(b * (1 - alpha) + colour[2] * alpha);
        }
    }

    private static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(value), 0f, 255f);

    /// <summary>The colormap sampled at 256 levels (RGB), so the per-pixel loop only indexes.</summary>
    private static byte[] Palette(CamOverlayOptions options)
    {
        var palette = new byte[256 * 3];
        for (var i = 0; i < 256; i++)
        {
            var colour = options.Colormap.GetColor(i / 255.0);
            (palette[i * 3], palette[i * 3 + 1], palette[i * 3 + 2]) = (colour.R, colour.G, colour.B);
        }
        return palette;
    }
}
