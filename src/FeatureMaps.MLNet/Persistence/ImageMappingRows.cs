using System.ComponentModel;

namespace FeatureMaps.MLNet.Persistence;

/// <summary>The input row of the generated image-loading mapping. Infrastructure; not for direct use.</summary>
/// <remarks>Public because the row types are generated at run time in another assembly, which must see it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IImagePathRow
{
    /// <summary>The image path (absolute, or relative to the image folder).</summary>
    string? Path { get; }
}

/// <summary>The output row of the generated image-loading mapping. Infrastructure; not for direct use.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IImageTensorRow
{
    /// <summary>The pixels, height x width x channels, values 0..255.</summary>
    float[]? Pixels { get; set; }

    /// <summary>Why the image could not be loaded, or empty.</summary>
    string? Error { get; set; }
}
