namespace FeatureMaps.MLNet.Tests.Cli;

/// <summary>Asserts that two output folders hold the same results: same files, same picture bytes, same JSON but for timings.</summary>
internal static class OutputComparison
{
    /// <param name="expected">The reference folder.</param>
    /// <param name="actual">The folder to check.</param>
    /// <param name="ignore">Files only one of them is expected to have (e.g. shard summaries).</param>
    public static void AssertSameResults(string expected, string actual, Func<string, bool>? ignore = null)
    {
        ignore ??= _ => false;
        var expectedFiles = OutputFolder.Files(expected).Where(f => !ignore(f)).ToList();
        var actualFiles = OutputFolder.Files(actual).Where(f => !ignore(f)).ToList();
        Assert.Equal(expectedFiles, actualFiles);
        foreach (var file in expectedFiles)
        {
            var (left, right) = (Path.Combine(expected, file), Path.Combine(actual, file));
            switch (Path.GetExtension(file))
            {
                case ".json":
                    Assert.True(OutputFolder.WithoutTimings(left) == OutputFolder.WithoutTimings(right), $"{file} differs beyond timings.");
                    break;
                case ".png" or ".pgm" or ".html":
                    Assert.True(File.ReadAllBytes(left).AsSpan().SequenceEqual(File.ReadAllBytes(right)), $"{file} differs.");
                    break;
                default:
                    Assert.Fail($"Unexpected output file '{file}'.");
                    break;
            }
        }
    }
}
