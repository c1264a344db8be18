using FeatureMaps.MLNet.Onnx;
using FeatureMaps.MLNet.Rendering;
using FeatureMaps.MLNet.Transforms;

namespace FeatureMaps.MLNet.Tests.Cli;

[Collection(DefaultRunCollection.Name)]
public sealed class DefaultRunTests(DefaultRunFixture run)
{
    private static readonly string[] SamplePhotos = ["astronaut.jpg", "camera.png", "chelsea.jpg", "coffee.jpg", "rocket.jpg"];

    [Fact]
    public void The_bare_command_succeeds_and_says_where_the_report_is()
    {
        Assert.True(run.Result.ExitCode == 0, run.Result.ToString());
        Assert.Contains($"Report: {run.Index}", run.Result.StdOut);
        Assert.Contains("5 images: 5 ok, 0 failed", run.Result.StdOut);
        Assert.Empty(OutputFolder.Temporaries(run.Out));
    }

    [Fact]
    public void Every_sample_photo_gets_a_decodable_picture_per_layer_sized_by_the_layer_geometry()
    {
        var layers = OnnxModelInspector.Inspect(TestData.SeedModel).FeatureMapLayers;
        Assert.Equal(6, layers.Count);
        foreach (var photo in SamplePhotos)
        {
            var folder = Path.Combine(run.Out, photo);
            var done = OutputFolder.Json(Path.Combine(folder, "done.json"));
            Assert.Equal("ok", done["status"]!.GetValue<string>());
            var recorded = done["layers"]!.AsArray();
            Assert.Equal(layers.Select(l => l.Layer), recorded.Select(l => l!["name"]!.GetValue<string>()));
            foreach (var (layer, entry) in layers.Zip(recorded))
            {
                var (h, w, c) = layer.MapGeometry;
                // The default grid: 8 maps per row (narrower layers one strip), 2 pixels apart.
                var belt = new BeltGeometry((int)h.Size!, (int)w.Size!, (int)c.Size!, Math.Min((int)c.Size!, 8), 2);
                Assert.Equal((belt.Height, belt.Width), (entry!["beltHeight"]!.GetValue<int>(), entry["beltWidth"]!.GetValue<int>()));
                Assert.Equal(((int)h.Size!, (int)w.Size!, (int)c.Size!), (entry["height"]!.GetValue<int>(), entry["width"]!.GetValue<int>(), entry["channels"]!.GetValue<int>()));
                using var png = OutputFolder.DecodePng(Path.Combine(folder, layer.Layer + ".png"));
                Assert.Equal(BeltPlot.FigureSize(new BeltPlotOptions { Title = layer.Layer }, belt.Height, belt.Width), (png.Width, png.Height));
            }
            using var input = OutputFolder.DecodePng(Path.Combine(folder, "input.png"));
            Assert.Equal((150, 150), (input.Width, input.Height));
            using var sheet = OutputFolder.DecodePng(Path.Combine(folder, "contact-sheet.png"));
            Assert.Equal(1200, sheet.Width);
        }
    }

    [Fact]
    public void The_summary_counts_the_images_and_holds_probabilities_and_statistics()
    {
        var summary = OutputFolder.Json(Path.Combine(run.Out, "summary.json"));
        var totals = summary["run"]!;
        Assert.Equal((5, 5, 0, 5), (totals["images"]!.GetValue<int>(), totals["ok"]!.GetValue<int>(), totals["failed"]!.GetValue<int>(), totals["processed"]!.GetValue<int>()));
        Assert.True(totals["imagesPerSecond"]!.GetValue<double>() > 0);
        var images = summary["images"]!.AsArray();
        Assert.Equal(SamplePhotos, images.Select(i => i!["path"]!.GetValue<string>()));
        foreach (var image in images)
        {
            var output = Assert.Single(image!["outputs"]!.AsArray())!;
            Assert.Equal(["circle", "square", "triangle"], output["values"]!.AsArray().Select(v => v!["label"]!.GetValue<string>()));
            Assert.Equal(1.0, output["values"]!.AsArray().Sum(v => v!["value"]!.GetValue<double>()), 3);
            foreach (var layer in image["layers"]!.AsArray())
            {
                var statistics = layer!["statistics"]!;
                Assert.True(statistics["std"]!.GetValue<double>() > 0);
                Assert.InRange(statistics["deadShare"]!.GetValue<double>(), 0, 1);
            }
            Assert.True(image["timings"]!["renderMs"]!.GetValue<double>() > 0);
        }
    }

    [Fact]
    public void The_report_lists_every_image_and_layer_with_relative_links_only()
    {
        var html = File.ReadAllText(run.Index);
        foreach (var photo in SamplePhotos)
            Assert.Contains($"<img src=\"{photo}/conv2d.png\"", html);
        foreach (var layer in new[] { "conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "conv2d_2", "max_pooling2d_2" })
            Assert.Contains($"<b>{layer}</b>", html);
        Assert.DoesNotContain(run.Out, html);
        Assert.DoesNotContain("file:", html);
        Assert.DoesNotContain("<script", html);
    }

    [Fact]
    public void Every_sample_photo_gets_an_Eigen_CAM_overlay_of_its_predicted_class_in_its_folder_and_the_report()
    {
        var html = File.ReadAllText(run.Index);
        foreach (var photo in SamplePhotos)
        {
            var folder = Path.Combine(run.Out, photo);
            var cam = OutputFolder.Json(Path.Combine(folder, "done.json"))["cam"]!;
            Assert.Equal("Eigen-CAM", cam["method"]!.GetValue<string>());
            Assert.Contains(cam["className"]!.GetValue<string>(), new[] { "circle", "square", "triangle" });
            using var png = OutputFolder.DecodePng(Path.Combine(folder, "class-activation-map.png"));
            Assert.Equal(2 * 150 + 8, png.Width); // the model input and its overlay side by side
            Assert.Contains($"<img src=\"{photo}/class-activation-map.png\"", html);
        }
    }
}
