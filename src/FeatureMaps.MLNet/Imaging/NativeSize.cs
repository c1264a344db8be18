namespace FeatureMaps.MLNet.Imaging;

/// <summary>
/// The input size at which a fully convolutional model (dynamic height and width, e.g. ppocrv4_det's <c>[N,3,H,W]</c>)
/// sees an image at its own size: each side rounded to the nearest multiple the model needs (its total stride, 32 for
/// ppocrv4_det), at least one multiple.
/// </summary>
/// <remarks>
/// ML.NET fixes one vector size per column, so one fitted pipeline serves one input size: to run images at their
/// native sizes, fit one <c>LoadAndResize</c> -> <c>ExtractLayerOutputs</c> -> ... pipeline per distinct
/// <see cref="Of"/> result (fitting reads no rows) and keep the few you reuse, as the command line's
/// <c>--native-size</c> does. The maps then grow with the image: memory per image grows with its pixel count, hence
/// <see cref="DefaultMaxPixels"/> (and see <c>ExtractLayerOutputsOptions.MaxActivationBytes</c>).
/// </remarks>
public static class NativeSize
{
    /// <summary>
    /// The largest model input accepted by default, in pixels: 2048 x 2048. ppocrv4_det holds about 660 MB of float
    /// activations at 640 x 640, so about 6.7 GB at this size; larger inputs are refused unless asked for.
    /// </summary>
    public const long DefaultMaxPixels = 2048L * 2048;

    /// <summary>Rounds <paramref name="width"/> x <paramref name="height"/> to the nearest multiples of <paramref name="multiple"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rounded size has more than <paramref name="maxPixels"/> pixels.</exception>
    public static (int Width, int Height) Round(int width, int height, int multiple, long maxPixels = DefaultMaxPixels)
    {
        Guard.Positive(width);
        Guard.Positive(height);
        Guard.Positive(multiple);
        Guard.Positive(maxPixels);
        var (w, h) = (Nearest(width, multiple), Nearest(height, multiple));
        if ((long)w * h > maxPixels)
            throw new ArgumentOutOfRangeException(nameof(width),
                $"A {width}x{height} image runs at {w}x{h} = {(long)w * h} pixels at its native size, more than the limit of {maxPixels} " +
                $"(activations grow with the pixel count); resize it, or raise the limit together with a memory budget.");
        return (w, h);
    }

    /// <summary>The native input size of the image at <paramref name="path"/> (upright, read from its header without decoding).</summary>
    /// <exception cref="ImageLoadException">The file cannot be read as an image.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Its native size is above <paramref name="maxPixels"/>.</exception>
    public static (int Width, int Height) Of(string path, int multiple, long maxPixels = DefaultMaxPixels)
    {
        var (width, height) = ImageTensorReader.ReadSize(path);
        return Round(width, height, multiple, maxPixels);
    }

    private static int Nearest(int value, int multiple) => (int)Math.Max(multiple, Math.Round(value / (double)multiple, MidpointRounding.AwayFromZero) * multiple);
}
