using FeatureMaps.MLNet.Imaging;

namespace FeatureMaps.MLNet.Tests.Cli;

/// <summary><c>--native-size</c>: a fully convolutional model (ppocrv4_det, <c>[N,3,H,W]</c>) sees each image at its own size.</summary>
public sealed class NativeSizeTests
{
    [Fact]
    public void Each_image_runs_at_its_own_size_rounded_to_32_and_its_first_maps_grow_with_it()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("images"));
        File.Copy(TestData.Chelsea, temp.File("images/chelsea.png"));                      // 451 x 300
        File.Copy(TestData.Image("skimage_coffee.png"), temp.File("images/coffee.png"));   // 600 x 400
        var output = temp.File("out");

        var result = CliProcess.Run("run", "--model", TestData.Model("ppocrv4_det_dbnet.onnx"), "--images", temp.File("images"), "--out", output,
            "--preprocess", "order=bgr;scale=1/255;mean=0.485,0.456,0.406;std=0.229,0.224,0.225", "--layers", "conv2d_450.tmp_0", "--native-size");

        Assert.True(result.ExitCode == 0, result.ToString());
        var images = OutputFolder.Json(Path.Combine(output, "summary.json"))["images"]!.AsArray()
            .ToDictionary(i => i!["path"]!.GetValue<string>(), i => i!["layers"]!.AsArray().Single()!);
        // The first layer is a stride-2 convolution: half of the input rounded to the nearest multiple of 32.
        Assert.Equal((144, 224, 16), Geometry(images["chelsea.png"]));  // 300 -> 288, 451 -> 448
        Assert.Equal((208, 304, 16), Geometry(images["coffee.png"]));   // 400 -> 416, 600 -> 608
    }

    [Fact]
    public void A_fixed_size_model_refuses_native_size_and_says_why()
    {
        using var temp = new TempFolder();
        var images = OutputFolder.CopyPhotos(temp.File("images"), 1);

        var result = CliProcess.Run("run", "--model", TestData.SeedModel, "--images", images, "--out", temp.File("out"), "--native-size");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("dynamic", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Sizes_round_to_the_nearest_multiple_and_refuse_above_the_pixel_limit()
    {
        Assert.Equal((448, 288), NativeSize.Round(451, 300, 32));
        Assert.Equal((32, 32), NativeSize.Round(5, 5, 32));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => NativeSize.Round(5312, 2988, 32));
        Assert.Contains("5312x2988", error.Message, StringComparison.Ordinal);
        Assert.Contains(NativeSize.DefaultMaxPixels.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    private static (int, int, int) Geometry(System.Text.Json.Nodes.JsonNode layer) =>
        (layer["height"]!.GetValue<int>(), layer["width"]!.GetValue<int>(), layer["channels"]!.GetValue<int>());
}
