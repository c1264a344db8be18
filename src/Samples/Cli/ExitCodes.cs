namespace FeatureMaps.Samples.Cli;

/// <summary>Process exit codes, documented in the README.</summary>
internal static class ExitCodes
{
    /// <summary>Everything was done.</summary>
    public const int Success = 0;
    /// <summary>Usage error or a model/pipeline that cannot be used; nothing (more) was processed.</summary>
    public const int UsageOrModelError = 1;
    /// <summary>The run finished, but some images failed (they are listed on stderr and in summary.json).</summary>
    public const int FinishedWithFailures = 2;
}
