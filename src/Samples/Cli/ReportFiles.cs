namespace FeatureMaps.Samples.Cli;

/// <summary>
/// Writes a summary (and, for a whole run or a merged report, <c>index.html</c> with a page per layer) in two passes over
/// the image records, each reading them one at a time: the first counts them and gathers the folder-wide channel
/// statistics, which the page header and summary state before the images are listed; the second writes.
/// </summary>
internal static class ReportFiles
{
    /// <summary>Counts ok and failed images and gathers the channel statistics of the ok ones.</summary>
    public static ReportSurvey Survey(IEnumerable<ImageRecord> records, OutputLayout layout)
    {
        var (ok, failed) = (0, 0);
        var channels = new FolderChannelStatistics(layout);
        foreach (var record in records)
        {
            if (record.Status == ImageStatus.Ok) ok++;
            else failed++;
            channels.Add(record);
        }
        return new ReportSurvey(ok + failed, ok, failed, channels.Summarize());
    }

    /// <summary>
    /// Streams <paramref name="records"/> into <paramref name="summaryPath"/> and, when given, <paramref name="htmlPath"/>;
    /// with the page, each of <paramref name="layers"/> gets its page in the <c>layers</c> folder beside it.
    /// </summary>
    public static void Write(RunTotals run, IEnumerable<ImageRecord> records, string summaryPath, string? htmlPath, IReadOnlyList<LayerChannelSummary>? layers = null)
    {
        layers ??= [];
        if (htmlPath is not null)
            LayerPageWriter.WriteAll(Path.GetDirectoryName(htmlPath)!, run, layers);
        using var summaryFile = AtomicFile.Create(summaryPath);
        using var htmlFile = htmlPath is null ? null : AtomicFile.Create(htmlPath);
        var summary = new SummaryWriter(summaryFile.Stream, run, layers);
        var html = htmlFile is null ? null : new ReportWriter(htmlFile.Stream, run);
        html?.AddLayerIndex(layers);
        foreach (var record in records)
        {
            summary.Add(record);
            html?.Add(record);
        }
        summary.Finish();
        html?.Finish();
        summaryFile.Commit();
        htmlFile?.Commit();
    }
}

/// <summary>What the first pass over the records found.</summary>
/// <param name="Images">Records.</param>
/// <param name="Ok">Images done.</param>
/// <param name="Failed">Images that failed.</param>
/// <param name="Layers">Channel statistics per layer across the ok images.</param>
internal sealed record ReportSurvey(int Images, int Ok, int Failed, IReadOnlyList<LayerChannelSummary> Layers);
