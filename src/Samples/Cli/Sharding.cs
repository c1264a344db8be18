using System.Globalization;
using System.Text;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// One of <see cref="Count"/> disjoint parts of an image folder. An image belongs to shard
/// <c>FNV-1a(relative path) mod Count</c>, so n processes started with <c>--shard 0/n</c> ... <c>--shard n-1/n</c> cover
/// the folder with no overlap and no gap, without talking to each other, whatever order they list files in.
/// </summary>
internal sealed record Shard(int Index, int Count)
{
    /// <summary>Environment variables that carry a job's index: Kubernetes Indexed Jobs, then Slurm job arrays.</summary>
    public static IReadOnlyList<string> IndexVariables { get; } = ["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"];

    /// <summary>The whole folder: an unsharded run.</summary>
    public static Shard All { get; } = new(0, 1);

    public bool IsPartial => Count > 1;

    /// <summary>The shard's part of file names: <c>shard-2-of-4</c>.</summary>
    public string FileTag => $"shard-{Index}-of-{Count}";

    /// <summary>
    /// The relative path is hashed as UTF-8 in Unicode normalization form C with '/' separators, so the same file gets
    /// the same shard on Linux, macOS (which may hand out decomposed names) and Windows.
    /// </summary>
    public bool Contains(string relativePath) =>
        Count == 1 || Fnv1a.Hash(Normalize(relativePath)) % (ulong)Count == (ulong)Index;

    public static string Normalize(string relativePath) =>
        relativePath.Replace('\\', '/').Normalize(NormalizationForm.FormC);

    /// <summary>Parses <c>i/n</c>, or <c>auto/n</c> with i read from <see cref="IndexVariables"/> via <paramref name="environment"/>.</summary>
    /// <exception cref="ArgumentException">The text is malformed or the index is outside 0..n-1.</exception>
    public static Shard Parse(string text, Func<string, string?> environment)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
            throw new ArgumentException($"--shard '{text}' is not i/n or auto/n with n a positive whole number (e.g. --shard 0/4).");
        var indexText = parts[0];
        var source = "--shard";
        if (indexText.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            var variable = IndexVariables.FirstOrDefault(v => !string.IsNullOrEmpty(environment(v)))
                ?? throw new ArgumentException($"--shard auto/{count} needs the shard index in {string.Join(" or ", IndexVariables)}; neither is set.");
            indexText = environment(variable)!;
            source = variable;
        }
        if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= count)
            throw new ArgumentException($"Shard index '{indexText}' from {source} must be a whole number from 0 to {count - 1} for {count} shards.");
        return new Shard(index, count);
    }

    public override string ToString() => $"{Index}/{Count}";
}
