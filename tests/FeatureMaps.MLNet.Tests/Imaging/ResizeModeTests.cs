using FeatureMaps.MLNet.Imaging;
using SkiaSharp;
using Xunit;

namespace FeatureMaps.MLNet.Tests.Imaging;

/// <summary>Geometry of each mode on the 200×100 test card (red columns 0–39, green 40–159, blue 160–199) read at 64×64.</summary>
public sealed class ResizeModeTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Stretch_fills_the_target_and_keeps_every_band()
    {
        var tensor = Read(ResizeMode.Stretch);

        AssertColor(tensor[1, 0], red: true);
        AssertColor(tensor[32, 63], green: true);
        AssertColor(tensor[62, 32], blue: true);
        Assert.DoesNotContain(Enumerable.Range(0, 64), y => IsBlack(tensor[32, y]));
    }

    [Fact]
    public void Pad_keeps_the_aspect_ratio_with_black_bars_above_and_below()
    {
        // Scale 64/200 = 0.32 gives a 64×32 image, placed at rows 16–47.
        var tensor = Read(ResizeMode.Pad);

        for (var x = 0; x < 64; x++)
        {
            for (var y = 0; y < 16; y++)
            {
                Assert.True(IsBlack(tensor[x, y]), $"({x}, {y}) is in the top bar");
                Assert.True(IsBlack(tensor[x, 63 - y]), $"({x}, {63 - y}) is in the bottom bar");
            }

            for (var y = 16; y < 48; y++)
                Assert.False(IsBlack(tensor[x, y]), $"({x}, {y}) is in the image");
        }

        AssertColor(tensor[1, 32], red: true);
        AssertColor(tensor[32, 32], green: true);
        AssertColor(tensor[62, 32], blue: true);
    }

    [Fact]
    public void Pad_puts_the_bars_left_and_right_of_a_tall_image()
    {
        var png = SyntheticImages.Png(100, 200, (_, _) => SKColors.White);

        var tensor = HwcTensor.Read(png, _folder, "tall.png", 64, 64, 3, ResizeMode.Pad);

        for (var y = 0; y < 64; y++)
        {
            Assert.True(IsBlack(tensor[15, y]) && IsBlack(tensor[48, y]), $"row {y} has bars");
            Assert.True(tensor[16, y].Concat(tensor[47, y]).All(v => v > 250), $"row {y} has the image between them");
        }
    }

    [Fact]
    public void Pad_bars_are_transparent_in_four_channel_output()
    {
        var tensor = Read(ResizeMode.Pad, channels: 4);

        Assert.Equal(new float[4], tensor[32, 0]);
        Assert.Equal(255f, tensor[32, 32][3], 0.01f);
    }

    [Fact]
    public void CropCenter_fills_the_target_and_cuts_the_sides()
    {
        // Scale 64/100 = 0.64 gives a 128×64 image of which the middle 64 columns, source columns 50–150, remain.
        var tensor = Read(ResizeMode.CropCenter);

        for (var y = 0; y < 64; y++)
            for (var x = 0; x < 64; x++)
                AssertColor(tensor[x, y], green: true);
    }

    private HwcTensor Read(ResizeMode mode, int channels = 3) =>
        HwcTensor.Read(SyntheticImages.ThreeBands(), _folder, "bands.png", 64, 64, channels, mode);

    private static bool IsBlack(float[] pixel) => pixel.All(v => v == 0f);

    private static void AssertColor(float[] pixel, bool red = false, bool green = false, bool blue = false)
    {
        bool[] expected = [red, green, blue];
        for (var c = 0; c < 3; c++)
            Assert.True(expected[c] ? pixel[c] > 240 : pixel[c] < 15, $"channel {c} of ({string.Join(", ", pixel)})");
    }
}
