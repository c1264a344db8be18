using FeatureMaps.MLNet.Tests.Cli;

namespace FeatureMaps.MLNet.Tests.Reliability;

/// <summary>
/// Files and folders deleted by someone else while a real run goes on: each is reported as failed, by name, in stderr,
/// summary.json and the exit code, and every other image is kept.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class DeletedDuringRunTests
{
    [Fact]
    public async Task An_image_and_a_subfolder_deleted_during_the_run_are_reported_and_the_rest_is_kept()
    {
        using var temp = new TempFolder();
        var images = OutputFolder.CopyPhotos(temp.File("images"), 16);
        OutputFolder.CopyPhotos(Path.Combine(images, "sub"), 2);
        var deletedImage = Directory.EnumerateFiles(images).Order(StringComparer.Ordinal).Last(); // "15-...": read last but the subfolder
        var output = temp.File("out");

        CliResult result;
        using (var process = CliProcess.Start(null, "run", "--model", TestData.SeedModel, "--images", images, "--out", output, "--recursive", "--layers", "conv2d"))
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            // The run has listed the folder and finished its first image; the cursor is at most a few images ahead.
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!Directory.Exists(output) || !Directory.EnumerateFiles(output, "done.json", SearchOption.AllDirectories).Any())
            {
                Assert.False(process.HasExited, "The run ended before anything could be deleted.");
                Assert.True(DateTime.UtcNow < deadline, "The run finished no image in two minutes.");
                Thread.Sleep(10);
            }
            File.Delete(deletedImage);
            Directory.Delete(Path.Combine(images, "sub"), recursive: true);
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "The run did not finish.");
            result = new CliResult(process.ExitCode, await stdout, await stderr);
        }

        var deleted = Path.GetFileName(deletedImage);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"error: {deleted}: Cannot read '{deletedImage}': the file does not exist", result.StdErr);
        Assert.Contains($"error: sub: Cannot read '{Path.Combine(images, "sub")}': the file does not exist", result.StdErr);
        Assert.Contains("17 images: 15 ok, 2 failed", result.StdOut);
        var records = OutputFolder.Json(Path.Combine(output, "summary.json"))["images"]!.AsArray()
            .ToDictionary(r => r!["path"]!.GetValue<string>(), r => r!["status"]!.GetValue<string>());
        Assert.Equal("failed", records[deleted]);
        Assert.Equal("failed", records["sub"]);
        Assert.Equal(15, records.Values.Count(status => status == "ok"));
        Assert.Contains(deleted, File.ReadAllText(Path.Combine(output, "index.html")));
        Assert.Empty(OutputFolder.Temporaries(output));
    }
}
