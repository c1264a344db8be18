namespace FeatureMaps.Samples.Cli;

/// <summary>The "run" object of a summary: counts over the images reported and what this run (or these shards) did.</summary>
internal sealed record RunTotals
{
    /// <summary>"i/n" for one shard's summary; null for a whole run or a merged report.</summary>
    public string? Shard { get; init; }

    /// <summary>The model or pipeline and the main settings.</summary>
    public required string Source { get; init; }

    /// <summary>Images in the summary.</summary>
    public required int Images { get; init; }

    public required int Ok { get; init; }

    public required int Failed { get; init; }

    /// <summary>Images this run ran through the network.</summary>
    public required int Processed { get; init; }

    /// <summary>Images this run skipped because <c>--resume</c> found them complete.</summary>
    public required int Resumed { get; init; }

    public required DateTimeOffset StartedUtc { get; init; }

    public required DateTimeOffset FinishedUtc { get; init; }

    public double WallSeconds => (FinishedUtc - StartedUtc).TotalSeconds;

    /// <summary>Processed images per wall-clock second, start-up and report writing included.</summary>
    public double ImagesPerSecond => WallSeconds > 0 ? Processed / WallSeconds : 0;

    /// <summary>For a merged report: each shard's own totals.</summary>
    public IReadOnlyList<RunTotals>? Shards { get; init; }
}
