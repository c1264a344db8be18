namespace FeatureMaps.MLNet.Tests.Cli;

[Trait("Category", "Reliability")]
public sealed class BadImageTests
{
    [Fact]
    public void Bad_images_are_reported_and_the_good_ones_finish_with_exit_code_2()
    {
        using var temp = new TempFolder();
        var images = OutputFolder.CopyPhotos(temp.File("images"), 2);
        File.WriteAllBytes(Path.Combine(images, "empty.jpg"), []);
        File.WriteAllBytes(Path.Combine(images, "noise.png"), RandomBytes(4096));
        var output = temp.File("out");

        var result = CliProcess.Run("run", "--model", TestData.SeedModel, "--images", images, "--out", output);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error: empty.jpg: ", result.StdErr);
        Assert.Contains("error: noise.png: ", result.StdErr);
        Assert.Contains("4 images: 2 ok, 2 failed", result.StdOut);
        var summary = OutputFolder.Json(Path.Combine(output, "summary.json"));
        Assert.Equal((2, 2), (summary["run"]!["ok"]!.GetValue<int>(), summary["run"]!["failed"]!.GetValue<int>()));
        foreach (var image in summary["images"]!.AsArray())
        {
            var path = image!["path"]!.GetValue<string>();
            var failed = path is "empty.jpg" or "noise.png";
            Assert.Equal(failed ? "failed" : "ok", image["status"]!.GetValue<string>());
            if (failed)
                Assert.Contains(path, image["error"]!.GetValue<string>());
            else
                Assert.Equal(6, Directory.EnumerateFiles(Path.Combine(output, path), "*.png").Count(f => !f.EndsWith("input.png") && !f.EndsWith("contact-sheet.png") && !f.EndsWith("class-activation-map.png")));
        }
        Assert.Contains("<p class=\"error\">Cannot decode", File.ReadAllText(Path.Combine(output, "index.html")));
    }

    [Fact]
    public void A_missing_model_is_one_line_on_stderr_and_exit_code_1()
    {
        using var temp = new TempFolder();
        var images = OutputFolder.CopyPhotos(temp.File("images"), 1);

        var result = CliProcess.Run("run", "--model", temp.File("missing.onnx"), "--images", images, "--out", temp.File("out"));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: ", result.StdErr);
        Assert.Single(result.StdErr.Trim().Split('\n'));
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(42).NextBytes(bytes);
        return bytes;
    }
}
