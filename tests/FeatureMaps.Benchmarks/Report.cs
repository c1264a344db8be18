using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace FeatureMaps.Benchmarks;

/// <summary>The markdown report: one table per workload, ratios, memory, the environment.</summary>
internal sealed class Report(string commandLine, BenchArgs args)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly List<(Workload Workload, List<VariantResult> Results)> _workloads = [];

    public List<string> Notes { get; } = [];

    public string Ep { get; set; } = "cpu";

    public string LoadAtStart { get; set; } = "";

    public string LoadAtEnd { get; set; } = "";

    public VariantResult? Memory { get; set; }

    public static string Describe(string variant) => variant switch
    {
        VariantIds.Ceiling => "(a) ceiling: SkiaSharp decode+resize, fill tensor, `Run`",
        VariantIds.CeilingIntra2 => "(a) ceiling, intra-op threads = 2",
        VariantIds.CeilingIntra1 => "(a) ceiling, intra-op threads = 1",
        VariantIds.RunOnly => "(a) `Run` alone on pre-made tensors",
        VariantIds.StockMlNet => "(b) stock ML.NET + user-code normalization and belt",
        VariantIds.FeatureMaps => "(c) FeatureMaps in memory (every `Belt.*` read)",
        VariantIds.FeatureMapsIntra1 => "(c) with intra-op threads = 1 for every session",
        VariantIds.FeatureMapsSet => "(c) read through a cursor set of 2 on 2 threads, intra-op threads = 1 (`GetRowCursorSet(cols, 2)`)",
        VariantIds.FeatureMapsReader => "(c) read through the library's `FeatureMapReader` (one row at a time)",
        VariantIds.LoadOnly => "(c) breakdown: LoadAndResize only (`Image` read)",
        VariantIds.ExtractOnly => "(c) breakdown: + ExtractLayerOutputs (`Layer.*`, `Output.*` read)",
        VariantIds.NormalizeOnly => "(c) breakdown: + NormalizeForDisplay (`Display.*` read)",
        VariantIds.Cli => "(d) `featuremaps run`: PNGs + report",
        _ => variant,
    };

    public void Add(Workload workload, VariantResult result)
    {
        var entry = _workloads.FirstOrDefault(w => w.Workload.Id == workload.Id);
        if (entry.Results is null)
        {
            entry = (workload, []);
            _workloads.Add(entry);
        }
        entry.Results.Add(result);
    }

    public static string OneLine(VariantResult r) => r.Skipped is { } why
        ? $"{r.Variant,-6} {why}"
        : $"{r.Variant,-6} {r.Images} images in {r.Seconds:0.00} s = {r.ImagesPerSecond:0.0} images/s, {r.CpuMillisecondsPerImage:0.0} CPU ms/image, peak {Mib(r.PeakWorkingSetBytes)} MiB, " +
          $"{(r.AllocatedBytes >= 0 ? Kib(r.AllocatedPerImage) + " KiB/image allocated" : "allocations not measured")}" +
          (r.Note is null ? "" : $" [{r.Note}]");

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# FeatureMaps.MLNet benchmark (issue 6)");
        md.AppendLine();
        md.AppendLine($"Command: `{commandLine}`");
        md.AppendLine();
        md.AppendLine($"- Date: {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", Inv)} UTC; {Environment.ProcessorCount} logical cores ({CpuModel()}); {RuntimeInformation.OSDescription}; .NET {Environment.Version}");
        md.AppendLine($"- ONNX Runtime {Version("Microsoft.ML.OnnxRuntime")}, ML.NET {Version("Microsoft.ML.Data")}, SkiaSharp {Version("SkiaSharp")}; execution provider: {Ep}");
        md.AppendLine($"- Load average (1/5/15 min) at start: {LoadAtStart}, at end: {LoadAtEnd}. The machine may be shared: other processes can have been running, so treat differences under ~10 % as noise.");
        md.AppendLine($"- Images: the shared photos downscaled to at most {args.MaxSide} px and copied under distinct names; each variant runs in a fresh child process on the same files, after a 3-image warm-up.");
        md.AppendLine("- CPU ms/image = the child's user + system CPU time over the pass / images (all its threads): less disturbed by other processes than images/s, which is wall-clock.");
        md.AppendLine("- images/s counts the pass over the images only (setup = model loading, fitting and warm-up, shown apart); peak WS = the child's VmHWM (whole process, setup included); alloc/image = `GC.GetTotalAllocatedBytes(true)` over the pass / images.");
        foreach (var note in Notes) md.AppendLine($"- {note}");
        md.AppendLine();

        foreach (var (workload, results) in _workloads)
        {
            var count = results.FirstOrDefault(r => r.Skipped is null)?.Images ?? 0;
            md.AppendLine($"## {workload.Id}: {Path.GetFileName(workload.ModelPath)} at {workload.Width}x{workload.Height}, {count} images");
            md.AppendLine();
            md.AppendLine("| variant | ORT threads | images/s | x (a) | CPU ms/image | setup s | pass s | peak WS MiB | alloc/image KiB |");
            md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
            var ceiling = results.FirstOrDefault(r => r.Variant == VariantIds.Ceiling && r.Skipped is null);
            foreach (var r in results)
            {
                if (r.Skipped is { } why)
                {
                    md.AppendLine($"| {Describe(r.Variant)} | | {why} | | | | | | |");
                    continue;
                }
                var relative = ceiling is null ? "" : (r.ImagesPerSecond / ceiling.ImagesPerSecond).ToString("0.00", Inv);
                var setup = r.Variant == VariantIds.Cli ? "(in pass)" : r.SetupSeconds.ToString("0.0", Inv);
                var alloc = r.AllocatedBytes >= 0 ? Kib(r.AllocatedPerImage) : "n/a";
                var cpu = r.CpuSeconds > 0 ? r.CpuMillisecondsPerImage.ToString("0.0", Inv) : "n/a";
                var errors = r.Errors > 0 ? $" ({r.Errors} errors)" : "";
                md.AppendLine($"| {Describe(r.Variant)}{errors} | {r.Threads} | {r.ImagesPerSecond.ToString("0.0", Inv)} | {relative} | {cpu} | {setup} | {r.Seconds.ToString("0.00", Inv)} | {Mib(r.PeakWorkingSetBytes)} | {alloc} |");
            }
            md.AppendLine();
            var ratios = Ratios(results);
            if (ratios.Length > 0) md.AppendLine(ratios).AppendLine();
            foreach (var r in results.Where(r => r.Note is not null && r.Skipped is null))
                md.AppendLine($"- {Describe(r.Variant)}: {r.Note}");
            if (results.Any(r => r.Note is not null && r.Skipped is null)) md.AppendLine();
        }

        if (Memory is { } memory)
        {
            md.AppendLine("## Memory: (c) on seed, its default cursor, one pass");
            md.AppendLine();
            if (memory.Skipped is { } why)
            {
                md.AppendLine(why);
            }
            else
            {
                md.AppendLine("| after images | peak WS MiB | current WS MiB | managed heap MiB |");
                md.AppendLine("|---:|---:|---:|---:|");
                foreach (var c in memory.Checkpoints)
                    md.AppendLine($"| {c.Images} | {Mib(c.PeakWorkingSetBytes)} | {Mib(c.WorkingSetBytes)} | {Mib(c.ManagedHeapBytes)} |");
                md.AppendLine();
                if (memory.Checkpoints.Count >= 2)
                {
                    var (first, last) = (memory.Checkpoints[0], memory.Checkpoints[^1]);
                    var growth = (double)last.PeakWorkingSetBytes / first.PeakWorkingSetBytes - 1;
                    md.AppendLine($"Peak working set grows {growth.ToString("+0.0 %;-0.0 %", Inv)} from {first.Images} to {last.Images} images " +
                        $"(target: within 10 %: {(Math.Abs(growth) <= 0.10 ? "met" : "NOT met")}); {memory.ImagesPerSecond.ToString("0.0", Inv)} images/s, {Kib(memory.AllocatedPerImage)} KiB allocated per image.");
                    md.AppendLine();
                }
            }
        }
        return md.ToString();
    }

    private static string Ratios(List<VariantResult> results)
    {
        double? Rate(string v) => results.FirstOrDefault(r => r.Variant == v && r.Skipped is null)?.ImagesPerSecond;
        var (a, b, c, d) = (Rate(VariantIds.Ceiling), Rate(VariantIds.StockMlNet), Rate(VariantIds.FeatureMaps), Rate(VariantIds.Cli));
        // The ceiling's thread settings are one hand-written loop tuned three ways; (c) is held to the fastest of them in
        // this run, so a slow (a) on a busy machine cannot flatter the ratio.
        var ceilings = new[] { VariantIds.Ceiling, VariantIds.CeilingIntra1, VariantIds.CeilingIntra2 }
            .Select(v => (Id: v, Rate: Rate(v))).Where(x => x.Rate is not null).Select(x => (x.Id, Rate: x.Rate!.Value)).ToList();
        var parts = new List<string>();
        if (c is { } cc && a is { } aa)
        {
            var best = ceilings.MaxBy(x => x.Rate); // (a) itself is among them
            parts.Add($"c/a = {(cc / aa).ToString("0.00", Inv)}" + (best.Id != VariantIds.Ceiling
                ? $", c/({best.Id}, the fastest ceiling of this run) = {(cc / best.Rate).ToString("0.00", Inv)}" : "") +
                $" (target >= 0.8: {(cc / best.Rate >= 0.8 ? "met" : "NOT met")})");
        }
        if (c is { } c2 && b is { } bb) parts.Add($"c/b = {(c2 / bb).ToString("0.00", Inv)} (target > 1: {(c2 > bb ? "met" : "NOT met")})");
        if (d is { } dd && c is { } c3) parts.Add($"d/c = {(dd / c3).ToString("0.00", Inv)}");
        return parts.Count > 0 ? "Ratios: " + string.Join("; ", parts) + "." : "";
    }

    private static string Mib(long bytes) => bytes <= 0 ? "n/a" : (bytes / 1048576.0).ToString("0", Inv);

    private static string Kib(double bytes) => (bytes / 1024).ToString(bytes < 10240 ? "0.0" : "0", Inv);

    private static string Version(string assembly)
    {
        try
        {
            var loaded = System.Reflection.Assembly.Load(assembly);
            var informational = loaded.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
                .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion;
            return informational?.Split('+')[0] ?? loaded.GetName().Version?.ToString() ?? "?";
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return "?";
        }
    }

    private static string CpuModel()
    {
        if (!File.Exists("/proc/cpuinfo")) return RuntimeInformation.ProcessArchitecture.ToString();
        return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            ?? RuntimeInformation.ProcessArchitecture.ToString();
    }
}
