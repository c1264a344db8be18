using FeatureMaps.MLNet.Statistics;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// The channel statistics of a report across its images, built while the image records stream by: each ok image's
/// <c>channels.json</c> is read and added to one <see cref="ChannelActivityAccumulator"/> per layer, so memory holds
/// per-channel sums and rankings, never per-image data. Images finished by an earlier run (<c>--resume</c>) or by other
/// shards count like the rest because the numbers come from their files.
/// </summary>
internal sealed class FolderChannelStatistics(OutputLayout layout)
{
    private readonly List<(string Name, ChannelActivityAccumulator Accumulator)> _layers = [];
    private readonly Dictionary<string, ChannelActivityAccumulator> _byName = new(StringComparer.Ordinal);

    /// <summary>Adds an image; failed images and images without a readable <c>channels.json</c> (older runs, damaged files) are left out.</summary>
    public void Add(ImageRecord record)
    {
        if (record.Status != ImageStatus.Ok || record.ChannelActivity is not { } file)
            return;
        ImageChannelActivity? activity;
        try
        {
            activity = ImageChannelActivity.TryRead(layout.FullPath(OutputLayout.Combine(record.Folder, file)));
        }
        catch (InvalidDataException)
        {
            return; // a record pointing outside the output folder is not followed
        }
        foreach (var layer in activity?.Layers ?? [])
        {
            ChannelActivity measured;
            try
            {
                measured = layer.ToActivity();
            }
            catch (ArgumentException)
            {
                continue;
            }
            if (!_byName.TryGetValue(layer.Name, out var accumulator))
            {
                accumulator = new ChannelActivityAccumulator(measured.Channels);
                _byName.Add(layer.Name, accumulator);
                _layers.Add((layer.Name, accumulator));
            }
            // Another channel count means another model or setting (shards of different runs in one folder): not comparable.
            if (accumulator.Channels == measured.Channels)
                accumulator.Add(record.Path, measured);
        }
    }

    /// <summary>Per layer, in the order the layers first appeared.</summary>
    public IReadOnlyList<LayerChannelSummary> Summarize() =>
        _layers.Select(l => LayerChannelSummary.From(l.Name, l.Accumulator.Summarize())).ToList();
}

/// <summary>One layer's channels across the images of a report: its entry in summary.json's "layers" and its page.</summary>
/// <param name="Name">The layer.</param>
/// <param name="Page">Its report page, relative to the output folder.</param>
/// <param name="Images">Images the statistics cover.</param>
/// <param name="DeadChannels">Channels zero everywhere on every image.</param>
/// <param name="Channels">Per channel: mean activation, share of zeros, dead or not, and the images that activate it most.</param>
internal sealed record LayerChannelSummary(string Name, string Page, int Images, int DeadChannels, IReadOnlyList<ChannelActivityStatistics> Channels)
{
    public static LayerChannelSummary From(string name, ChannelActivitySummary summary) =>
        new(name, OutputLayout.LayerPage(name), summary.Images, summary.DeadChannels, summary.Channels);
}
