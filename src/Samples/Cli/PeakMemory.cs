using System.Globalization;

namespace FeatureMaps.Samples.Cli;

/// <summary>The process's peak resident memory so far (Linux <c>VmHWM</c>), for commands that report it.</summary>
internal static class PeakMemory
{
    /// <summary>Peak resident set in MiB, or null where <c>/proc/self/status</c> does not exist (not Linux).</summary>
    public static double? Mebibytes()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
            return null;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>"1234 MiB (VmHWM)", or "unknown" off Linux.</summary>
    public static string Describe() =>
        Mebibytes() is { } mib ? string.Create(CultureInfo.InvariantCulture, $"{mib:0} MiB (VmHWM)") : "unknown (no /proc/self/status)";
}
