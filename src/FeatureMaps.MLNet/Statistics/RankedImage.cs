namespace FeatureMaps.MLNet.Statistics;

/// <summary>An image in a channel's ranking.</summary>
/// <param name="Image">The name the image was added under.</param>
/// <param name="Mean">The channel's mean activation on this image.</param>
public sealed record RankedImage(string Image, float Mean);
