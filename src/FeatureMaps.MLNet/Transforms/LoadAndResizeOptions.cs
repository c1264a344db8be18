using FeatureMaps.MLNet.Imaging;

namespace FeatureMaps.MLNet.Transforms;

/// <summary>Options for <see cref="LoadAndResizeEstimator"/>.</summary>
public sealed class LoadAndResizeOptions
{
    /// <summary>Default values.</summary>
    public static class Defaults
    {
        /// <summary>The pixel column.</summary>
        public const string OutputColumnName = "Image";
        /// <summary>The path column.</summary>
        public const string InputColumnName = "ImagePath";
        /// <summary>RGB.</summary>
        public const int Channels = 3;
        /// <summary>Keras' <c>target_size</c>: stretch to the size, ignoring aspect.</summary>
        public const ResizeMode Mode = ResizeMode.Stretch;
    }

    /// <summary>The column that receives the pixels (float, height x width x channels, 0..255).</summary>
    public string OutputColumnName { get; init; } = Defaults.OutputColumnName;

    /// <summary>The text column holding image paths.</summary>
    public string InputColumnName { get; init; } = Defaults.InputColumnName;

    /// <summary>The column that receives why an image could not be loaded (empty when it loaded); defaults to the output name plus "Error".</summary>
    public string? ErrorColumnName { get; init; }

    /// <summary>Target width in pixels.</summary>
    public required int Width { get; init; }

    /// <summary>Target height in pixels.</summary>
    public required int Height { get; init; }

    /// <summary>1 (grey), 3 (RGB) or 4 (RGBA); any input image is converted to this count.</summary>
    public int Channels { get; init; } = Defaults.Channels;

    /// <summary>How the image is fitted to the target size.</summary>
    public ResizeMode Mode { get; init; } = Defaults.Mode;

    /// <summary>Folder that relative paths are resolved against; null = the current directory.</summary>
    public string? ImageFolder { get; init; }

    /// <summary>Images with more pixels are refused before decoding (decompression-bomb guard).</summary>
    public long MaxPixels { get; init; } = ImageLimits.DefaultMaxPixels;
}
