using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// <c>featuremaps report --out DIR</c>: merges what the shards of a sharded run wrote into one folder: every image's
/// <c>done.json</c> becomes an entry of <c>summary.json</c> and a section of <c>index.html</c>, and the shards'
/// <c>summary.shard-i-of-n.json</c> give the run totals. It also works on an unsharded output folder (it rebuilds the report).
/// </summary>
internal static partial class ReportCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { HelpName = "DIR", Description = "The output folder the shards wrote into.", DefaultValueFactory = _ => "out" };
        var command = new Command("report", "Merge the results of all shards in an output folder into one index.html and summary.json.") { output };
        command.SetAction(parse => CliErrors.Guard(() => Report(parse.GetValue(output)!, Console.Out, Console.Error)));
        return command;
    }

    internal static int Report(string outPath, TextWriter stdout, TextWriter stderr)
    {
        var layout = new OutputLayout(outPath);
        if (!Directory.Exists(layout.Root))
            throw new DirectoryNotFoundException($"Output folder '{outPath}' does not exist.");
        AtomicFiles.DeleteTemporaries(layout.Root, OutputLayout.SummaryFile);
        AtomicFiles.DeleteTemporaries(layout.Root, OutputLayout.IndexFile);

        var shards = ShardSummaries(layout, stderr);
        var (images, ok, failed, layers) = ReportFiles.Survey(Records(layout.Root), layout);
        if (images == 0)
            throw new ArgumentException($"'{layout.Root}' holds no image results (done.json files); run `featuremaps run --out` into it first.");
        var run = new RunTotals
        {
            Source = string.Join("; ", shards.Select(s => s.Source).Distinct().DefaultIfEmpty("results found in " + layout.Root)),
            Images = images, Ok = ok, Failed = failed,
            Processed = shards.Sum(s => s.Processed), Resumed = shards.Sum(s => s.Resumed),
            // The shards ran side by side: the merged run lasted from the first start to the last finish.
            StartedUtc = shards.Count > 0 ? shards.Min(s => s.StartedUtc) : DateTimeOffset.UtcNow,
            FinishedUtc = shards.Count > 0 ? shards.Max(s => s.FinishedUtc) : DateTimeOffset.UtcNow,
            Shards = shards,
        };
        var htmlPath = Path.Combine(layout.Root, OutputLayout.IndexFile);
        ReportFiles.Write(run, Records(layout.Root), Path.Combine(layout.Root, OutputLayout.SummaryFile), htmlPath, layers);
        stdout.WriteLine($"{images} images: {ok} ok, {failed} failed, from {shards.Count} shard summaries.");
        stdout.WriteLine($"Report: {htmlPath}");
        return failed > 0 ? ExitCodes.FinishedWithFailures : ExitCodes.Success;
    }

    /// <summary>The shard summaries, in shard order; warns about shards of a split that have not written theirs (not finished yet, or failed).</summary>
    private static List<RunTotals> ShardSummaries(OutputLayout layout, TextWriter stderr)
    {
        var found = Directory.EnumerateFiles(layout.Root, "summary.shard-*-of-*.json")
            .Select(path => (Path: path, Match: ShardFileName().Match(Path.GetFileName(path))))
            .Where(f => f.Match.Success)
            .Select(f => (Index: int.Parse(f.Match.Groups[1].Value, CultureInfo.InvariantCulture), Count: int.Parse(f.Match.Groups[2].Value, CultureInfo.InvariantCulture), f.Path))
            .OrderBy(f => f.Count).ThenBy(f => f.Index)
            .ToList();
        foreach (var count in found.Select(f => f.Count).Distinct())
        {
            var missing = Enumerable.Range(0, count).Except(found.Where(f => f.Count == count).Select(f => f.Index)).ToList();
            if (missing.Count > 0)
                stderr.WriteLine($"warning: no summary from shard(s) {string.Join(", ", missing.Select(i => $"{i}/{count}"))}: they have not finished; their images may be missing or incomplete.");
        }
        return found.Select(f => SummaryWriter.ReadRun(f.Path)).OfType<RunTotals>().ToList();
    }

    /// <summary>
    /// Every image record under the folder, one directory at a time in sorted order (so the report is the same
    /// whichever shard finished first), skipping the run's hidden bookkeeping.
    /// </summary>
    private static IEnumerable<ImageRecord> Records(string folder)
    {
        var done = Path.Combine(folder, OutputLayout.DoneFile);
        if (File.Exists(done) && ImageRecord.TryRead(done) is { } record)
            yield return record;
        var subfolders = Directory.EnumerateDirectories(folder)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var subfolder in subfolders)
            foreach (var nested in Records(subfolder))
                yield return nested;
    }

    [GeneratedRegex(@"^summary\.shard-(\d+)-of-(\d+)\.json$")]
    private static partial Regex ShardFileName();
}
