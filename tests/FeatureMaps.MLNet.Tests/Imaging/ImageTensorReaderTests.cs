using FeatureMaps.MLNet.Imaging;
using SkiaSharp;
using Xunit;

namespace FeatureMaps.MLNet.Tests.Imaging;

public sealed class ImageTensorReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("skimage_astronaut.png")]
    [InlineData("skimage_camera.png")]
    [InlineData("skimage_chelsea.png")]
    [InlineData("skimage_coffee.png")]
    [InlineData("skimage_rocket.jpg")]
    [InlineData("tuxpaint_otter_rgba.png")]
    [InlineData("mate_LadyBird.jpg")]
    [InlineData("lomiri_seeding_by_Clements_Engelhardt.jpg")]
    public void Real_photos_fill_the_whole_tensor_with_values_from_0_to_255(string photo)
    {
        var tensor = HwcTensor.Read(TestFiles.Photo(photo), 224, 160, 3);

        Assert.Equal(160 * 224 * 3, tensor.Data.Length);
        Assert.All(tensor.Data, v => Assert.InRange(v, 0f, 255f));
        Assert.True(tensor.Data.Max() - tensor.Data.Min() > 100, "a photo has contrast");
    }

    [Theory]
    [InlineData("skimage_astronaut.png", 512, 512)]
    [InlineData("mate_LadyBird.jpg", 2560, 1600)]
    [InlineData("lomiri_seeding_by_Clements_Engelhardt.jpg", 5312, 2988)]
    public void ReadSize_gives_the_header_size(string photo, int width, int height) =>
        Assert.Equal((width, height), ImageTensorReader.ReadSize(TestFiles.Photo(photo)));

    [Trait("Category", "Reliability")]
    [Fact]
    public void A_grayscale_photo_read_as_rgb_has_equal_channels()
    {
        var tensor = HwcTensor.Read(TestFiles.Photo("skimage_camera.png"), 128, 128, 3);

        for (var i = 0; i < tensor.Data.Length; i += 3)
        {
            Assert.Equal(tensor.Data[i], tensor.Data[i + 1]);
            Assert.Equal(tensor.Data[i], tensor.Data[i + 2]);
        }
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public void An_rgba_photo_read_with_four_channels_keeps_its_alpha()
    {
        var tensor = HwcTensor.Read(TestFiles.Photo("tuxpaint_otter_rgba.png"), 128, 128, 4);

        var alpha = Enumerable.Range(0, 128 * 128).Select(i => tensor.Data[(4 * i) + 3]).ToArray();
        Assert.Equal(0f, alpha.Min());
        Assert.Equal(255f, alpha.Max(), 0.01f);
    }

    [Fact]
    public void Transparency_is_composited_over_black_for_one_and_three_channels_and_kept_for_four()
    {
        // Left half: white stored under alpha 0. Right half: red at half opacity.
        var png = SyntheticImages.Png(8, 8, (x, _) => x < 4 ? new SKColor(255, 255, 255, 0) : new SKColor(255, 0, 0, 128));

        var rgb = HwcTensor.Read(png, _folder, "alpha.png", 8, 8, 3);
        var rgba = HwcTensor.Read(png, _folder, "alpha.png", 8, 8, 4);
        var luminance = HwcTensor.Read(png, _folder, "alpha.png", 8, 8, 1);

        AssertClose([0, 0, 0], rgb[1, 4]);
        AssertClose([128, 0, 0], rgb[6, 4]);
        AssertClose([0], luminance[1, 4]);
        AssertClose([0.299f * 128], luminance[6, 4]);
        Assert.Equal(0f, rgba[1, 4][3]);
        AssertClose([255, 0, 0, 128], rgba[6, 4]);
    }

    [Fact]
    public void One_channel_is_bt601_luminance()
    {
        var png = SyntheticImages.Png(3, 1, (x, _) => x switch { 0 => SKColors.Red, 1 => SKColors.Lime, _ => SKColors.Blue });

        var tensor = HwcTensor.Read(png, _folder, "rgb.png", 3, 1, 1);

        AssertClose([0.299f * 255, 0.587f * 255, 0.114f * 255], tensor.Data);
    }

    [Fact]
    public void Output_is_hwc_with_rows_top_to_bottom_and_red_green_blue_order()
    {
        var png = SyntheticImages.Png(2, 2, (x, y) => (x, y) switch
        {
            (0, 0) => new SKColor(10, 20, 30),
            (1, 0) => new SKColor(40, 50, 60),
            (0, 1) => new SKColor(70, 80, 90),
            _ => new SKColor(100, 110, 120, 200),
        });

        var tensor = HwcTensor.Read(png, _folder, "order.png", 2, 2, 4);

        AssertClose([10, 20, 30, 255, 40, 50, 60, 255, 70, 80, 90, 255, 100, 110, 120, 200], tensor.Data);
    }

    [Theory]
    [InlineData(64, 48)]
    [InlineData(200, 150)]
    public void A_jpeg_shrunk_while_decoding_matches_the_same_pixels_decoded_in_full(int width, int height)
    {
        // The same pixels as a PNG, which cannot be shrunk while decoding, give the reference.
        var jpeg = TestFiles.Photo("skimage_rocket.jpg");
        using (var full = SKBitmap.Decode(jpeg))
            File.WriteAllBytes(_folder.File("rocket.png"), SyntheticImages.Encode(full, SKEncodedImageFormat.Png));

        var shrunk = HwcTensor.Read(jpeg, width, height, 3);
        var reference = HwcTensor.Read(_folder.File("rocket.png"), width, height, 3);

        var meanDifference = shrunk.Data.Zip(reference.Data, (a, b) => Math.Abs(a - b)).Average();
        // Two different antialiasing paths differ by about 2.7 levels; decoding at 1/8 and upsampling to 200x150
        // would differ by about 4.1. Exactly 0 would mean the JPEG was not shrunk while decoding at all.
        Assert.InRange(meanDifference, 0.01, 3.5); // not identical, so the JPEG path really did shrink
    }

    [Fact]
    public void Reading_twice_gives_identical_values()
    {
        var first = HwcTensor.Read(TestFiles.Photo("mate_LadyBird.jpg"), 224, 224, 3, ResizeMode.CropCenter);
        var second = HwcTensor.Read(TestFiles.Photo("mate_LadyBird.jpg"), 224, 224, 3, ResizeMode.CropCenter);

        Assert.Equal(first.Data, second.Data);
    }

    [Fact]
    public void A_destination_of_the_wrong_length_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ImageTensorReader.Read(TestFiles.Photo("skimage_astronaut.png"), 4, 4, 3, ResizeMode.Stretch, new float[47]));

        Assert.Equal("destination", error.ParamName);
        Assert.Contains("48", error.Message);
    }

    [Theory]
    [InlineData(0, 4, 3, 0, "width")]
    [InlineData(4, -1, 3, 0, "height")]
    [InlineData(4, 4, 2, 0, "channels")]
    [InlineData(4, 4, 3, 7, "mode")]
    public void Invalid_arguments_are_refused(int width, int height, int channels, int mode, string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ImageTensorReader.Read(
            TestFiles.Photo("skimage_astronaut.png"), width, height, channels, (ResizeMode)mode, new float[Math.Max(0, width * height * channels)]));

        Assert.Equal(parameter, error.ParamName);
    }

    internal static void AssertClose(float[] expected, float[] actual, float tolerance = 1.5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"value {i}: expected {expected[i]}, got {actual[i]} (all: {string.Join(", ", actual)})");
    }
}
