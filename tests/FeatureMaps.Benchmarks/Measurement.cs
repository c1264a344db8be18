using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace FeatureMaps.Benchmarks;

/// <summary>What a child process measured for one variant of one workload.</summary>
internal sealed record VariantResult
{
    public required string Variant { get; init; }
    public required string Workload { get; init; }
    public string Threads { get; init; } = "";
    public int Images { get; init; }
    public int Errors { get; init; }
    public double SetupSeconds { get; init; }
    public double Seconds { get; init; }
    public long PeakWorkingSetBytes { get; init; }
    public long AllocatedBytes { get; init; }
    /// <summary>CPU time (user + system, all threads) the process spent in the pass: less sensitive than wall time to other processes.</summary>
    public double CpuSeconds { get; init; }
    public IReadOnlyList<Checkpoint> Checkpoints { get; init; } = [];
    public string? Note { get; init; }
    /// <summary>Set when the variant could not run; the report prints it instead of numbers.</summary>
    public string? Skipped { get; init; }
    public IReadOnlyDictionary<string, double>? Breakdown { get; init; }

    public double ImagesPerSecond => Seconds > 0 ? Images / Seconds : 0;

    public double AllocatedPerImage => Images > 0 ? (double)AllocatedBytes / Images : 0;

    public double CpuMillisecondsPerImage => Images > 0 ? CpuSeconds * 1000 / Images : 0;

    public const string Marker = "BENCH-RESULT ";

    public string ToLine() => Marker + JsonSerializer.Serialize(this);

    public static VariantResult? FromLine(string line) =>
        line.StartsWith(Marker, StringComparison.Ordinal) ? JsonSerializer.Deserialize<VariantResult>(line[Marker.Length..]) : null;
}

/// <summary>Peak memory after a number of images.</summary>
internal sealed record Checkpoint(int Images, long PeakWorkingSetBytes, long WorkingSetBytes, long ManagedHeapBytes);

/// <summary>Process memory as the kernel counts it.</summary>
internal static class Memory
{
    /// <summary>Peak resident set size (VmHWM) of this process.</summary>
    public static long PeakWorkingSet() => OperatingSystem.IsLinux()
        ? StatusKb("/proc/self/status", "VmHWM:") * 1024
        : Process.GetCurrentProcess().PeakWorkingSet64;

    /// <summary>Current resident set size (VmRSS) of this process.</summary>
    public static long WorkingSet() => OperatingSystem.IsLinux()
        ? StatusKb("/proc/self/status", "VmRSS:") * 1024
        : Process.GetCurrentProcess().WorkingSet64;

    /// <summary>Peak resident set size of another process, or -1 once it is gone.</summary>
    public static long PeakWorkingSet(int pid)
    {
        try
        {
            return StatusKb($"/proc/{pid}/status", "VmHWM:") * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    /// <summary>Current resident set size of another process, or -1 once it is gone.</summary>
    public static long WorkingSet(int pid)
    {
        try
        {
            return StatusKb($"/proc/{pid}/status", "VmRSS:") * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    public static Checkpoint Checkpoint(int images) =>
        new(images, PeakWorkingSet(), WorkingSet(), GC.GetTotalMemory(forceFullCollection: false));

    private static long StatusKb(string file, string key)
    {
        foreach (var line in File.ReadLines(file))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return -1;
    }
}

/// <summary>
/// Times a pass over images and counts the managed bytes it allocated; records memory checkpoints.
/// </summary>
internal sealed class PassMeter
{
    private readonly IReadOnlyList<int> _checkpoints;
    private readonly List<Checkpoint> _taken = [];
    private readonly Stopwatch _watch = new();
    private long _allocatedBefore;
    private TimeSpan _cpuBefore;

    public PassMeter(IReadOnlyList<int> checkpoints) => _checkpoints = checkpoints;

    public int Images { get; private set; }

    public void Start()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        _allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        _cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        _watch.Start();
    }

    /// <summary>Counts one finished image and takes a checkpoint when one is due (outside the timed span).</summary>
    public void ImageDone()
    {
        Images++;
        if (_checkpoints.Contains(Images))
        {
            _watch.Stop();
            _taken.Add(Memory.Checkpoint(Images));
            _watch.Start();
        }
    }

    public (double Seconds, double CpuSeconds, long Allocated, IReadOnlyList<Checkpoint> Checkpoints) Stop()
    {
        _watch.Stop();
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - _cpuBefore).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocatedBefore;
        return (_watch.Elapsed.TotalSeconds, cpu, allocated, _taken);
    }
}
