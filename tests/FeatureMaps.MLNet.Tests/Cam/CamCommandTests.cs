using FeatureMaps.MLNet.Tests.Cli;

namespace FeatureMaps.MLNet.Tests.Cam;

public class CamCommandTests
{
    [Fact]
    public void Cam_writes_an_overlay_per_image_an_index_and_its_timing_and_reports_a_broken_image_without_losing_the_others()
    {
        using var temp = new TempFolder();
        var images = Directory.CreateDirectory(temp.File("images")).FullName;
        File.Copy(TestData.Chelsea, Path.Combine(images, "chelsea.png"));
        File.WriteAllBytes(Path.Combine(images, "square.png"), CamSanityTests.ShapeInQuadrant(1, 0));
        File.WriteAllText(Path.Combine(images, "broken.png"), "not a picture");
        var output = temp.File("out");

        var result = CliProcess.Run("cam", "--model", TestData.SeedModel, "--images", images, "--out", output, "--method", "score");

        Assert.True(result.ExitCode == 2, result.ToString()); // finished, with a failure
        Assert.Contains("score on layer 'max_pooling2d_2' (17x17x32), map 17x17, 33 model runs per image (32 masked, 32 per batch)", result.StdOut);
        Assert.Contains("cam: 2 images, maps", result.StdOut);
        Assert.Contains("broken.png", result.StdErr);
        foreach (var name in new[] { "chelsea.png", "square.png" })
        {
            using var png = OutputFolder.DecodePng(Path.Combine(output, name + ".cam.png"));
            Assert.Equal(2 * (2 * 150 + 8), png.Width); // input and overlay side by side, twice the pixels
        }
        Assert.False(File.Exists(Path.Combine(output, "broken.png.cam.png")));
        var index = OutputFolder.Json(Path.Combine(output, "cam.json"));
        Assert.Equal("score", index["method"]!.GetValue<string>());
        var entries = index["images"]!.AsArray();
        Assert.Equal(["broken.png", "chelsea.png", "square.png"], entries.Select(e => e!["image"]!.GetValue<string>()));
        Assert.Equal("square", entries[2]!["className"]!.GetValue<string>());
        Assert.NotNull(entries[0]!["error"]);
        var html = File.ReadAllText(Path.Combine(output, "index.html"));
        Assert.Contains("<img src=\"chelsea.png.cam.png\"", html);
        Assert.Empty(OutputFolder.Temporaries(output));
    }

    [Fact]
    public void Cam_refuses_an_unknown_method_and_names_the_valid_ones()
    {
        var result = CliProcess.Run("cam", "--model", TestData.SeedModel, "--images", ".", "--out", "x", "--method", "grad");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("eigen", result.StdErr + result.StdOut);
        Assert.Contains("occlusion", result.StdErr + result.StdOut);
    }
}
