namespace FeatureMaps.MLNet.Tests.Cli;

/// <summary>
/// ML.NET's ONNX transformer, handed a graph as bytes, copies it into the temp folder and leaves the copy there; the
/// generated graphs go to it as files in a folder of the process, removed at exit (GeneratedGraphFile).
/// </summary>
public sealed class TempFolderTests
{
    [Fact]
    public void A_run_leaves_nothing_in_the_temp_folder_and_sweeps_what_a_killed_run_left()
    {
        using var temp = new TempFolder();
        using var output = new TempFolder();
        // What a process killed mid-run leaves: its graph folder, named after a process id that no longer runs.
        var killed = Directory.CreateDirectory(Path.Combine(temp.Path, "featuremaps-graphs", $"{int.MaxValue - 1}-0123456789abcdef")).FullName;
        File.WriteAllBytes(Path.Combine(killed, "layers.onnx"), new byte[1024]);
        Directory.SetLastWriteTimeUtc(killed, DateTime.UtcNow.AddHours(-2)); // only folders over an hour old are swept

        var result = CliProcess.RunUnder(":", new Dictionary<string, string> { ["TMPDIR"] = temp.Path },
            "run", "--model", TestData.SeedModel, "--images", Path.Combine(TestData.RepoRoot, "src", "Samples", "images"), "--out", output.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        // ONNX Runtime keeps a 51-byte ".ses" marker there (its own); no graph or copy of the model may remain.
        var left = Directory.EnumerateFiles(temp.Path, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != ".ses")
            .Select(f => $"{Path.GetRelativePath(temp.Path, f)} ({new FileInfo(f).Length} bytes)")
            .ToList();
        Assert.True(left.Count == 0, "left in TMPDIR: " + string.Join(", ", left));
    }
}
