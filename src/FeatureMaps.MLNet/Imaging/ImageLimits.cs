namespace FeatureMaps.MLNet.Imaging;

/// <summary>Limits applied when reading images.</summary>
public static class ImageLimits
{
    /// <summary>
    /// The largest image, in pixels (width × height as stored in the file header), that is decoded: 100 million,
    /// about 400 MB of RGBA pixels. Larger images are refused after reading the header and before any pixel is
    /// decoded, so a small "decompression bomb" file that claims enormous dimensions cannot exhaust memory.
    /// </summary>
    public const long DefaultMaxPixels = 100_000_000;
}
