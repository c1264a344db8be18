using System.Diagnostics;
using System.Reflection;
using FeatureMaps.Benchmarks.Variants;

namespace FeatureMaps.Benchmarks;

/// <summary>
/// (d) The main job end to end: <c>dotnet featuremaps.dll run --model M --images DIR --out DIR</c> as a child
/// process, which writes PNG belts and the report. Its wall time (process start to exit, so start-up and fitting
/// included), its CPU time and its peak RSS (VmHWM) are measured from outside, the last two polled every 20 ms.
/// </summary>
internal sealed class CliVariant
{
    private readonly string _dll;

    private CliVariant(string dll, string help)
    {
        _dll = dll;
        Help = help;
    }

    /// <summary>What <c>run --help</c> printed.</summary>
    public string Help { get; }

    /// <summary>The default CLI: the Samples build of this configuration, which this project builds alongside.</summary>
    public static string DefaultPath =>
        typeof(CliVariant).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "SamplesCli")?.Value
        ?? Path.Combine(AppContext.BaseDirectory, "featuremaps.dll");

    /// <summary>The CLI when its <c>run</c> command exists, else why it cannot be used.</summary>
    public static (CliVariant? Cli, string? Unavailable) Find(string? dll)
    {
        dll = Path.GetFullPath(dll ?? DefaultPath);
        if (!File.Exists(dll))
            return (null, $"{dll} does not exist (build src/Samples in this configuration, or pass --cli PATH)");
        var (exit, stdout, stderr) = Capture(dll, ["run", "--help"], TimeSpan.FromSeconds(120));
        if (exit != 0 || !stdout.Contains("--model", StringComparison.Ordinal))
        {
            var why = exit == 0 ? "it printed the root help, which lists no `run` command" : $"it exited {exit}: {Cuda.FirstLine(stderr.Length > 0 ? stderr : stdout)}";
            return (null, $"the CLI at {dll} has no `run` command yet (`featuremaps run --help`: {why})");
        }
        return (new CliVariant(dll, stdout), null);
    }

    /// <summary>Runs the CLI on <paramref name="imageFolder"/>; the result says why when it cannot.</summary>
    public VariantResult Run(Workload workload, string imageFolder, int images, string outFolder, string ep, long maxRss)
    {
        var missing = workload.CliArgs.Where(a => a.StartsWith("--", StringComparison.Ordinal) && !Help.Contains(a, StringComparison.Ordinal)).ToList();
        if (missing.Count > 0)
            return Skipped(workload, $"`featuremaps run` has no {string.Join(", ", missing)} option, which {workload.Id} needs");

        List<string> args = ["run", "--model", workload.ModelPath, "--images", imageFolder, "--out", outFolder, .. workload.CliArgs];
        if (ep == "cuda")
        {
            if (Help.Contains("--gpu", StringComparison.Ordinal)) args.Add("--gpu");
            else if (Help.Contains("--ep", StringComparison.Ordinal)) args.AddRange(["--ep", "cuda"]);
        }
        var start = StartInfo(_dll, args);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start dotnet.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        var cpu = TimeSpan.Zero;
        var stopped = false;
        while (!process.WaitForExit(20))
        {
            peak = Math.Max(peak, Memory.PeakWorkingSet(process.Id));
            cpu = CpuTime(process) ?? cpu;
            if (!stopped && Memory.WorkingSet(process.Id) > maxRss)
            {
                stopped = true;
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            }
        }
        watch.Stop();
        if (stopped)
            return Skipped(workload, $"stopped: resident memory passed the {maxRss / (double)(1L << 30):0.0} GiB guard (--max-rss-gb)");
        var errorText = stderr.Result;
        _ = stdout.Result;
        if (process.ExitCode != 0)
            return Skipped(workload, $"`featuremaps run` exited {process.ExitCode}: {LastLine(errorText)}");
        var pngs = Directory.Exists(outFolder) ? Directory.EnumerateFiles(outFolder, "*.png", SearchOption.AllDirectories).Count() : 0;
        return new VariantResult
        {
            Variant = VariantIds.Cli,
            Workload = workload.Id,
            Threads = "the CLI's own (child process)",
            Images = images,
            Seconds = watch.Elapsed.TotalSeconds,
            CpuSeconds = cpu.TotalSeconds,
            PeakWorkingSetBytes = peak,
            AllocatedBytes = -1,
            Note = $"wall time and CPU time from process start to exit (start-up, fitting, PNG rendering and report included; CPU as last polled, up to 20 ms early); {pngs} PNG files written",
        };
    }

    /// <summary>The child's user + system time so far, or null once it has exited (the last poll then stands).</summary>
    private static TimeSpan? CpuTime(Process process)
    {
        try
        {
            return process.TotalProcessorTime;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            return null;
        }
    }

    private static VariantResult Skipped(Workload workload, string why) =>
        new() { Variant = VariantIds.Cli, Workload = workload.Id, Skipped = why };

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";

    private static ProcessStartInfo StartInfo(string dll, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(DotnetHost.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }

    private static (int Exit, string Stdout, string Stderr) Capture(string dll, IEnumerable<string> args, TimeSpan timeout)
    {
        using var process = Process.Start(StartInfo(dll, args)) ?? throw new InvalidOperationException("Cannot start dotnet.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "", $"timed out after {timeout.TotalSeconds:0} s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>The <c>dotnet</c> host running this program (or on the PATH).</summary>
internal static class DotnetHost
{
    public static string Path
    {
        get
        {
            var self = Environment.ProcessPath;
            if (self is not null && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
            if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host) return host;
            return "dotnet";
        }
    }
}
