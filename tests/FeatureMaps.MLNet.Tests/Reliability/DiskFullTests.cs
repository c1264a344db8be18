using FeatureMaps.MLNet.Tests.Cli;
using FeatureMaps.Samples.Cli;

namespace FeatureMaps.MLNet.Tests.Reliability;

/// <summary>
/// Writes that fail halfway, as on a full disk: the old file (or none) stays, no temporary or half-written file remains,
/// and the error names the file. The real-process case uses <c>ulimit -f</c> (RLIMIT_FSIZE), which needs no privileges
/// and makes the kernel refuse every write beyond the limit, as a full disk refuses every write.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class DiskFullTests
{
    [Fact]
    public void A_write_that_fails_halfway_keeps_the_old_file_and_leaves_no_temporary()
    {
        using var temp = new TempFolder();
        var path = temp.File("summary.json");
        File.WriteAllText(path, "old content");
        var diskFull = new IOException("No space left on device");

        var error = Assert.Throws<IOException>(() => AtomicFiles.Write(path, stream =>
        {
            stream.Write(new byte[10_000]); // more than the file buffer: these bytes reach the temporary file
            throw diskFull;
        }));

        Assert.Same(diskFull, error);
        Assert.Equal("old content", File.ReadAllText(path));
        Assert.Equal(["summary.json"], Directory.EnumerateFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_write_into_a_folder_that_is_gone_names_the_file()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.File("deleted"), "done.json");

        var error = Assert.Throws<OutputWriteException>(() => AtomicFiles.WriteAllBytes(path, [1, 2, 3]));

        Assert.Contains($"Cannot write '{path}': its folder does not exist", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public void The_library_names_the_png_it_could_not_save()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.File("deleted"), "conv2d.png");

        var error = Assert.Throws<IOException>(() => FeatureMaps.MLNet.Rendering.BeltPlot.SavePng(new byte[4 * 12], 4, 12, path));

        Assert.StartsWith($"Cannot write '{path}': ", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public void A_run_that_cannot_write_its_summary_stops_naming_it_and_resume_finishes_it()
    {
        using var temp = new TempFolder();
        var images = Directory.CreateDirectory(temp.File("images")).FullName;
        for (var i = 0; i < 30; i++)
            File.Copy(TestData.Image("skimage_rocket.jpg"), Path.Combine(images, $"{i:00}.jpg"));
        var output = temp.File("out");
        string[] arguments =
            ["run", "--model", TestData.Model("mnist_cntk_winml.onnx"), "--preprocess", "raw", "--layers", "Pooling160_Output_0", "--images", images, "--out", output];
        var environment = new Dictionary<string, string> { ["DOTNET_EnableWriteXorExecute"] = "0" };

        // 40 KiB: each image's pictures (at most 34 KB) and done.json fit, the summary of 30 images (about 57 KB) does not.
        var limited = CliProcess.RunUnder("trap '' XFSZ; ulimit -f 40", environment, arguments);

        Assert.True(limited.ExitCode == 1, limited.ToString());
        var summary = Path.Combine(output, "summary.json");
        Assert.EndsWith($"error: Cannot write '{summary}': the file grew larger than this process may write (file size limit); expected room on the disk and write access to '{output}'.",
            limited.StdErr.Trim());
        Assert.False(File.Exists(summary));
        Assert.False(File.Exists(Path.Combine(output, "index.html")));
        Assert.Empty(OutputFolder.Temporaries(output));
        Assert.Equal(30, Directory.EnumerateFiles(output, "done.json", SearchOption.AllDirectories).Count());

        var resumed = CliProcess.RunUnder("true", environment, [.. arguments, "--resume"]);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("30 images: 30 ok, 0 failed (0 processed, 30 resumed)", resumed.StdOut);
    }

    [Fact]
    public void A_run_whose_writes_are_refused_reports_each_image_keeps_no_partial_file_and_resume_finishes_it()
    {
        using var temp = new TempFolder();
        var images = OutputFolder.CopyPhotos(temp.File("images"), 3);
        // A private temporary folder: the first run leaves the generated ONNX graphs there (tens of KB), so the limited
        // run does not need to write them and fails only on its outputs.
        var environment = new Dictionary<string, string>
        {
            ["TMPDIR"] = Directory.CreateDirectory(temp.File("tmp")).FullName,
            // The runtime's W^X double mapping sizes a memory file beyond any small RLIMIT_FSIZE; without it .NET starts.
            ["DOTNET_EnableWriteXorExecute"] = "0",
        };
        string[] Arguments(string output, params string[] extra) =>
            ["run", "--model", TestData.Model("mnist_cntk_winml.onnx"), "--preprocess", "raw", "--images", images, "--out", output, .. extra];
        var reference = temp.File("reference");
        var first = CliProcess.RunUnder("true", environment, Arguments(reference));
        Assert.True(first.ExitCode == 0, first.ToString());
        var output = temp.File("out");

        // 64 KiB: done.json files, summary and report fit; each image's contact sheet (about 200 KB) does not.
        // SIGXFSZ is ignored, as it is in any program that handles the error, so the write fails with EFBIG.
        var limited = CliProcess.RunUnder("trap '' XFSZ; ulimit -f 64", environment, Arguments(output));

        Assert.True(limited.ExitCode == 2, limited.ToString());
        Assert.Contains("3 images: 0 ok, 3 failed", limited.StdOut);
        foreach (var record in OutputFolder.Json(Path.Combine(output, "summary.json"))["images"]!.AsArray())
        {
            var folder = Path.Combine(output, record!["folder"]!.GetValue<string>());
            Assert.Equal("failed", record["status"]!.GetValue<string>());
            Assert.Contains($"Cannot write '{Path.Combine(folder, "contact-sheet.png")}'", record["error"]!.GetValue<string>());
            Assert.Contains($"error: {record["path"]!.GetValue<string>()}: Cannot write", limited.StdErr);
            // A failed image keeps only its done.json: no picture of the attempt, whole or partial.
            Assert.Equal(["done.json"], Directory.EnumerateFiles(folder).Select(Path.GetFileName));
        }
        Assert.Empty(OutputFolder.Temporaries(output));

        // With room again, --resume redoes the failed images and the folder equals an uninterrupted run's.
        var resumed = CliProcess.RunUnder("true", environment, Arguments(output, "--resume"));

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        OutputComparison.AssertSameResults(reference, output);
    }
}
