using System.Diagnostics;
using System.Globalization;
using FeatureMaps.Benchmarks.Variants;

namespace FeatureMaps.Benchmarks;

/// <summary>Builds the image set, runs every variant of every workload in a child process, writes the report.</summary>
internal static class Orchestrator
{
    public static int Run(BenchArgs args, string commandLine)
    {
        var paths = new Paths(args.Shared);
        var ids = Workloads.Select(args.Workload);
        if (args.Quick && args.Workload == "all") ids = ids.Where(id => id is not ("ppocr-640" or "ppocr-1280")).ToList();
        var workloads = ids.Select(id => Workloads.Get(id, paths)).ToList();
        var maxRss = (long)((args.MaxRssGb ?? 0.4 * TotalMemoryGb()) * (1L << 30));
        int CountFor(Workload w) => args.Images ?? (args.Quick ? w.QuickImages : w.DefaultImages);
        var variants = args.Variants ?? VariantIds.All;
        var memoryCounts = args.Quick && args.MemoryImages.SequenceEqual([200, 2000]) ? [20, 100] : args.MemoryImages;
        var memoryRun = workloads.Any(w => w.Id == "seed") && variants.Contains(VariantIds.FeatureMaps) && memoryCounts.Count > 0 && memoryCounts.All(n => n > 0);

        var report = new Report(commandLine, args);
        var ep = args.Ep;
        if (ep == "cuda" && Cuda.Unavailable() is { } why)
        {
            var line = $"CUDA execution provider unavailable: {why}; running on CPU";
            Console.WriteLine(line);
            report.Notes.Add(line);
            ep = "cpu";
        }
        report.Ep = ep;

        var needed = Math.Max(workloads.Max(CountFor), memoryRun ? memoryCounts.Max() : 0);
        Console.WriteLine($"Making {needed} images (max side {args.MaxSide} px) from {paths.SharedImages} ...");
        using var images = ImageSet.Create(paths.SharedImages, needed, args.MaxSide);

        CliVariant? cli = null;
        if (variants.Contains(VariantIds.Cli))
        {
            var (found, unavailable) = CliVariant.Find(args.Cli);
            cli = found;
            if (unavailable is not null)
            {
                var line = $"(d) not available: {unavailable}";
                Console.WriteLine(line);
                report.Notes.Add(line);
            }
        }

        report.LoadAtStart = LoadAverage();
        foreach (var workload in workloads)
        {
            var count = CountFor(workload);
            Console.WriteLine($"== {workload.Id}: {count} images");
            foreach (var variant in variants)
            {
                if (args.Variants is null && VariantIds.Breakdown.Contains(variant) && workload.Id is "ppocr-640" or "ppocr-1280") continue;
                VariantResult result;
                if (variant == VariantIds.Cli)
                {
                    if (cli is null) continue;
                    var outFolder = Path.Combine(images.Root, "cli-out", workload.Id);
                    result = cli.Run(workload, images.FolderWith(count), count, outFolder, ep, maxRss);
                    if (Directory.Exists(outFolder)) Directory.Delete(outFolder, recursive: true);
                }
                else
                {
                    result = RunChild(args, workload, variant, images, count, [], ep, paths, maxRss);
                }
                Console.WriteLine("   " + Report.OneLine(result));
                report.Add(workload, result);
            }
        }

        if (memoryRun)
        {
            var seed = workloads.Single(w => w.Id == "seed");
            var counts = memoryCounts.Order().ToList();
            Console.WriteLine($"== memory: (c) on seed (its default cursor), peak working set after {string.Join(" and ", counts)} images");
            var result = RunChild(args, seed, VariantIds.FeatureMaps, images, counts[^1], counts, ep, paths, maxRss);
            Console.WriteLine("   " + Report.OneLine(result));
            report.Memory = result;
        }
        report.LoadAtEnd = LoadAverage();

        var markdown = report.ToMarkdown();
        Console.WriteLine();
        Console.WriteLine(markdown);
        File.WriteAllText(args.Out, markdown);
        Console.WriteLine($"Written to {Path.GetFullPath(args.Out)}");
        return 0;
    }

    private static VariantResult RunChild(BenchArgs args, Workload workload, string variant, ImageSet images, int count,
        IReadOnlyList<int> checkpoints, string ep, Paths paths, long maxRss)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? DotnetHost.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
            start.ArgumentList.Add(typeof(Orchestrator).Assembly.Location);
        string[] childArgs =
        [
            "--variant", variant, "--workload", workload.Id, "--image-dir", images.Root,
            "--count", count.ToString(CultureInfo.InvariantCulture), "--ep", ep, "--shared", paths.Shared,
        ];
        foreach (var a in childArgs) start.ArgumentList.Add(a);
        if (checkpoints.Count > 0)
        {
            start.ArgumentList.Add("--checkpoints");
            start.ArgumentList.Add(string.Join(',', checkpoints));
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start the child process.");
        var stderr = process.StandardError.ReadToEndAsync();
        // The machine may be shared: a variant whose memory runs away is stopped before it takes everyone's.
        long peakRss = 0;
        var stopped = false;
        using var guard = new Timer(_ =>
        {
            var rss = Memory.WorkingSet(process.Id);
            peakRss = Math.Max(peakRss, rss);
            if (rss > maxRss && !stopped)
            {
                stopped = true;
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            }
        }, null, 100, 100);
        VariantResult? result = null;
        var lastLines = new Queue<string>();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (VariantResult.FromLine(line) is { } parsed) result = parsed;
            else
            {
                lastLines.Enqueue(line);
                if (lastLines.Count > 5) lastLines.Dequeue();
            }
        }
        process.WaitForExit();
        guard.Change(Timeout.Infinite, Timeout.Infinite);
        if (stopped)
            return new VariantResult
            {
                Variant = variant, Workload = workload.Id,
                Skipped = $"stopped: resident memory passed the {maxRss / (double)(1L << 30):0.0} GiB guard (--max-rss-gb), {peakRss / (double)(1L << 30):0.0} GiB seen",
            };
        var errors = stderr.Result;
        if (process.ExitCode == 0 && result is not null) return result;
        Console.Error.WriteLine($"   {variant} on {workload.Id} failed (exit {process.ExitCode}):");
        Console.Error.WriteLine(string.Join('\n', errors.Split('\n').Take(40).Select(l => "      " + l)));
        var why = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(l => l.Contains("Exception", StringComparison.Ordinal)) ?? lastLines.LastOrDefault() ?? "no output";
        return new VariantResult { Variant = variant, Workload = workload.Id, Skipped = $"failed (exit {process.ExitCode}): {why}" };
    }

    private static double TotalMemoryGb()
    {
        if (!File.Exists("/proc/meminfo")) return 16;
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / (1024.0 * 1024);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
