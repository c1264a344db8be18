using FeatureMaps.MLNet.Imaging;
using SkiaSharp;
using Xunit;

namespace FeatureMaps.MLNet.Tests.Imaging;

[Trait("Category", "Reliability")]
public sealed class ExifOrientationTests : IDisposable
{
    // Stored as 40×20: white, with a red block in the stored top-left corner and a blue block in the stored top-right.
    private const int StoredWidth = 40;
    private const int StoredHeight = 20;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public enum Corner
    {
        TopLeft,
        TopRight,
        BottomLeft,
        BottomRight,
    }

    /// <summary>
    /// EXIF orientation names the visual side where stored row 0 and stored column 0 end up; the stored top-left
    /// pixel is (row 0, column 0) and the stored top-right one is (row 0, last column).
    /// </summary>
    [Theory]
    [InlineData(1, Corner.TopLeft, Corner.TopRight)] // row 0 top, column 0 left
    [InlineData(2, Corner.TopRight, Corner.TopLeft)] // row 0 top, column 0 right
    [InlineData(3, Corner.BottomRight, Corner.BottomLeft)] // row 0 bottom, column 0 right
    [InlineData(4, Corner.BottomLeft, Corner.BottomRight)] // row 0 bottom, column 0 left
    [InlineData(5, Corner.TopLeft, Corner.BottomLeft)] // row 0 left, column 0 top
    [InlineData(6, Corner.TopRight, Corner.BottomRight)] // row 0 right, column 0 top
    [InlineData(7, Corner.BottomRight, Corner.TopRight)] // row 0 right, column 0 bottom
    [InlineData(8, Corner.BottomLeft, Corner.TopLeft)] // row 0 left, column 0 bottom
    public void Images_come_out_upright(int orientation, Corner red, Corner blue)
    {
        var path = WriteJpeg(orientation);
        var (width, height) = orientation >= 5 ? (StoredHeight, StoredWidth) : (StoredWidth, StoredHeight);

        var tensor = HwcTensor.Read(path, width, height, 3);

        foreach (var corner in Enum.GetValues<Corner>())
        {
            var pixel = Sample(tensor, corner);
            if (corner == red)
                Assert.True(pixel[0] > 200 && pixel[1] < 60 && pixel[2] < 60, $"{corner} should be red: {string.Join(", ", pixel)}");
            else if (corner == blue)
                Assert.True(pixel[0] < 60 && pixel[1] < 60 && pixel[2] > 200, $"{corner} should be blue: {string.Join(", ", pixel)}");
            else
                Assert.True(pixel.All(v => v > 200), $"{corner} should be white: {string.Join(", ", pixel)}");
        }
    }

    [Theory]
    [InlineData(1, StoredWidth, StoredHeight)]
    [InlineData(3, StoredWidth, StoredHeight)]
    [InlineData(6, StoredHeight, StoredWidth)]
    [InlineData(8, StoredHeight, StoredWidth)]
    public void ReadSize_gives_the_upright_size(int orientation, int width, int height) =>
        Assert.Equal((width, height), ImageTensorReader.ReadSize(WriteJpeg(orientation)));

    private string WriteJpeg(int orientation)
    {
        using var bitmap = SyntheticImages.Bitmap(StoredWidth, StoredHeight, (x, y) =>
            y >= 10 ? SKColors.White : x < 10 ? SKColors.Red : x >= StoredWidth - 10 ? SKColors.Blue : SKColors.White);
        var jpeg = SyntheticImages.WithExifOrientation(SyntheticImages.Encode(bitmap, SKEncodedImageFormat.Jpeg), orientation);
        var path = _folder.File($"orientation-{orientation}.jpg");
        File.WriteAllBytes(path, jpeg);
        return path;
    }

    /// <summary>A pixel 4 in from each edge of the corner, well inside a 10-pixel block.</summary>
    private static float[] Sample(HwcTensor tensor, Corner corner) => corner switch
    {
        Corner.TopLeft => tensor[4, 4],
        Corner.TopRight => tensor[tensor.Width - 5, 4],
        Corner.BottomLeft => tensor[4, tensor.Height - 5],
        _ => tensor[tensor.Width - 5, tensor.Height - 5],
    };
}
