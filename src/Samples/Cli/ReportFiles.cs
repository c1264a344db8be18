namespace FeatureMaps.Samples.Cli;

/// <summary>Writes a summary (and, for a whole run or a merged report, <c>index.html</c>) in one pass over the image records.</summary>
internal static class ReportFiles
{
    /// <summary>Counts ok and failed images: the page and the summary state them before listing the images.</summary>
    public static (int Images, int Ok, int Failed) Count(IEnumerable<ImageRecord> records)
    {
        var (ok, failed) = (0, 0);
        foreach (var record in records)
        {
            if (record.Status == ImageStatus.Ok) ok++;
            else failed++;
        }
        return (ok + failed, ok, failed);
    }

    /// <summary>Streams <paramref name="records"/> into <paramref name="summaryPath"/> and, when given, <paramref name="htmlPath"/>.</summary>
    public static void Write(RunTotals run, IEnumerable<ImageRecord> records, string summaryPath, string? htmlPath)
    {
        using var summaryFile = AtomicFile.Create(summaryPath);
        using var htmlFile = htmlPath is null ? null : AtomicFile.Create(htmlPath);
        var summary = new SummaryWriter(summaryFile.Stream, run);
        var html = htmlFile is null ? null : new ReportWriter(htmlFile.Stream, run);
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
