namespace FeatureMaps.MLNet.Statistics;

/// <summary>One channel of a layer across a set of images.</summary>
/// <param name="Channel">The channel index.</param>
/// <param name="Mean">Mean activation over the images (the mean of the per-image means); NaN when an image gave NaN or there were no images.</param>
/// <param name="ZeroShare">Share of exactly-zero activations over the images (the mean of the per-image shares).</param>
/// <param name="Dead">True when the channel was exactly zero everywhere on every image: a unit that never fires (a dead ReLU).</param>
/// <param name="TopImages">The images on which the channel's mean activation was highest, highest first; images on which it never fired are left out, so a dead channel has none.</param>
public sealed record ChannelActivityStatistics(int Channel, double Mean, double ZeroShare, bool Dead, IReadOnlyList<RankedImage> TopImages);
