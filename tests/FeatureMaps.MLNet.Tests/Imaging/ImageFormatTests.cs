using SkiaSharp;
using Xunit;

namespace FeatureMaps.MLNet.Tests.Imaging;

/// <summary>Every supported container and pixel format decodes to the same RGB values.</summary>
[Trait("Category", "Reliability")]
public sealed class ImageFormatTests : IDisposable
{
    // Quadrants: red, green / blue, white — four 8×8 blocks.
    private static readonly SKColor[] Quadrants = [SKColors.Red, SKColors.Lime, SKColors.Blue, SKColors.White];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string> Formats => ["png", "webp", "bmp", "jpg", "png16", "palette.png"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Each_format_decodes_to_the_same_pixels(string format)
    {
        var tensor = HwcTensor.Read(Make(format), _folder, "quadrants." + format, 16, 16, 3);

        float[][] expected = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255]];
        // JPEG is lossy and subsamples chroma; sample block centres and allow for it there.
        var tolerance = format == "jpg" ? 40f : 1.5f;
        ImageTensorReaderTests.AssertClose(expected[0], tensor[4, 4], tolerance);
        ImageTensorReaderTests.AssertClose(expected[1], tensor[11, 4], tolerance);
        ImageTensorReaderTests.AssertClose(expected[2], tensor[4, 11], tolerance);
        ImageTensorReaderTests.AssertClose(expected[3], tensor[11, 11], tolerance);
    }

    [Fact]
    public void The_sixteen_bit_sample_really_is_sixteen_bit() => Assert.Equal(16, Png.BitDepth(Make("png16")));

    [Fact]
    public void A_gif_decodes_its_first_frame()
    {
        var tensor = HwcTensor.Read(SyntheticImages.RedBlueGif(), _folder, "red-blue.gif", 2, 1, 3);

        ImageTensorReaderTests.AssertClose([255, 0, 0, 0, 0, 255], tensor.Data);
    }

    private static byte[] Make(string format)
    {
        static SKColor Color(int x, int y) => Quadrants[((y / 8) * 2) + (x / 8)];
        switch (format)
        {
            case "bmp":
                return SyntheticImages.Bmp(16, 16, Color);
            case "palette.png":
                var indices = new byte[16 * 16];
                for (var i = 0; i < indices.Length; i++)
                    indices[i] = (byte)Array.IndexOf(Quadrants, Color(i % 16, i / 16));
                var palette = Quadrants.SelectMany(c => new[] { c.Red, c.Green, c.Blue }).ToArray();
                return Png.Palette(16, 16, palette, indices);
            case "png16":
                return Png.Rgb16(16, 16, (x, y) => (Color(x, y).Red, Color(x, y).Green, Color(x, y).Blue));

            default:
                using (var bitmap = SyntheticImages.Bitmap(16, 16, Color))
                {
                    var encoded = format switch { "png" => SKEncodedImageFormat.Png, "webp" => SKEncodedImageFormat.Webp, _ => SKEncodedImageFormat.Jpeg };
                    return SyntheticImages.Encode(bitmap, encoded);
                }
        }
    }
}
