namespace FeatureMaps.MLNet.Imaging;

/// <summary>An image file that cannot be read or decoded, with a message naming the file and what was expected.</summary>
public sealed class ImageLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The file that failed.</param>
    /// <param name="message">What went wrong; it names the file and the expected content.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public ImageLoadException(string filePath, string message, Exception? inner = null)
        : base(message, inner) => FilePath = filePath;

    /// <summary>The file that failed, as it was given.</summary>
    public string FilePath { get; }
}
