using System.Text.Json;
using FeatureMaps.MLNet.Statistics;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// An image's <c>channels.json</c>: per layer, each channel's mean activation and share of zeros on this image. It is
/// what the folder-wide channel statistics need from an image, so they can be built from files after the fact: by a
/// run that skipped finished images (<c>--resume</c>) and by <c>featuremaps report</c> merging shards, neither of which
/// still has the activations. Kept apart from <c>done.json</c> because it grows with the channel count (thousands of
/// numbers for ResNets), while <c>summary.json</c> copies every <c>done.json</c>.
/// </summary>
/// <param name="Layers">One entry per layer, in the order of the image's layers.</param>
internal sealed record ImageChannelActivity(IReadOnlyList<LayerChannelActivity> Layers)
{
    // Not indented: a number per line would triple the file for a few thousand channels, and nobody reads it by eye.
    private static readonly JsonSerializerOptions Compact = new(CliJson.Options) { WriteIndented = false };

    public void Write(string file) =>
        AtomicFiles.Write(file, stream => JsonSerializer.Serialize(stream, this, Compact));

    /// <summary>The activity in <paramref name="file"/>, or null when it is missing or cannot be read (the image is then left out of the statistics).</summary>
    public static ImageChannelActivity? TryRead(string file) => CliJson.TryRead<ImageChannelActivity>(file);
}

/// <summary>One layer's channel activity on one image.</summary>
/// <param name="Name">The layer.</param>
/// <param name="Means">Mean activation per channel.</param>
/// <param name="ZeroShares">Share of exactly-zero activations per channel.</param>
internal sealed record LayerChannelActivity(string Name, IReadOnlyList<float> Means, IReadOnlyList<float> ZeroShares)
{
    public static LayerChannelActivity From(string name, ChannelActivity activity) => new(name, activity.Means, activity.ZeroShares);

    /// <summary>The library's view; throws <see cref="ArgumentException"/> for values no run writes (edited or damaged files).</summary>
    public ChannelActivity ToActivity() => new(Means, ZeroShares);
}
