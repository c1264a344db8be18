namespace FeatureMaps.Benchmarks.Variants;

/// <summary>One way of turning image files into feature maps, measured in a process of its own.</summary>
internal interface IVariant : IDisposable
{
    /// <summary>The ORT thread settings it runs with, for the report.</summary>
    string Threads { get; }

    /// <summary>Anything the reader should know (a fallback, what is fetched).</summary>
    string? Note { get; }

    /// <summary>Processes <paramref name="files"/> in order, calling <see cref="PassMeter.ImageDone"/> after each.</summary>
    /// <returns>Images that failed to load.</returns>
    int Pass(IReadOnlyList<string> files, PassMeter meter);
}

/// <summary>Everything a variant gets from the command line.</summary>
internal sealed record VariantContext(Workload Workload, ModelSetup Setup, IReadOnlyList<string> Sources, bool Cuda, string WorkDir);
