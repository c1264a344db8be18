namespace FeatureMaps.MLNet.Imaging;

/// <summary>
/// Converts one row of premultiplied RGBA pixels (floats 0..1) into one row of an HWC tensor (floats 0..255).
/// Premultiplied colour is colour already composited over black, which is exactly what the 1- and 3-channel
/// outputs want; only the 4-channel output divides the alpha back out.
/// </summary>
internal static class TensorRowWriter
{
    // ITU-R BT.601 luma weights, the ones PIL's convert("L") and Keras' grayscale loading use.
    private const float RedWeight = 0.299f * 255f;
    private const float GreenWeight = 0.587f * 255f;
    private const float BlueWeight = 0.114f * 255f;

    public static void Write(ReadOnlySpan<float> premultipliedRgba, Span<float> destination, int channels)
    {
        switch (channels)
        {
            case 1:
                WriteLuminance(premultipliedRgba, destination);
                break;
            case 3:
                WriteRgb(premultipliedRgba, destination);
                break;
            default:
                WriteRgba(premultipliedRgba, destination);
                break;
        }
    }

    private static void WriteLuminance(ReadOnlySpan<float> source, Span<float> destination)
    {
        for (int x = 0, s = 0; x < destination.Length; x++, s += 4)
            destination[x] = (RedWeight * source[s]) + (GreenWeight * source[s + 1]) + (BlueWeight * source[s + 2]);
    }

    private static void WriteRgb(ReadOnlySpan<float> source, Span<float> destination)
    {
        for (int d = 0, s = 0; d < destination.Length; d += 3, s += 4)
        {
            destination[d] = source[s] * 255f;
            destination[d + 1] = source[s + 1] * 255f;
            destination[d + 2] = source[s + 2] * 255f;
        }
    }

    private static void WriteRgba(ReadOnlySpan<float> source, Span<float> destination)
    {
        for (int d = 0; d < destination.Length; d += 4)
        {
            var alpha = source[d + 3];
            // A fully transparent pixel has no colour left to recover; it reads as transparent black.
            // Rounding in the premultiplied pixel can leave a component a hair above alpha, hence the clamp.
            var toStraight = alpha > 0f ? 255f / alpha : 0f;
            destination[d] = MathF.Min(source[d] * toStraight, 255f);
            destination[d + 1] = MathF.Min(source[d + 1] * toStraight, 255f);
            destination[d + 2] = MathF.Min(source[d + 2] * toStraight, 255f);
            destination[d + 3] = alpha * 255f;
        }
    }
}
