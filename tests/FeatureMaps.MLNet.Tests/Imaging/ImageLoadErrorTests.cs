using FeatureMaps.MLNet.Imaging;
using Xunit;

namespace FeatureMaps.MLNet.Tests.Imaging;

[Trait("Category", "Reliability")]
public sealed class ImageLoadErrorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("empty", "empty.jpg", "the file is empty (0 bytes)")]
    [InlineData("random", "random.jpg", "not a recognised image format")]
    [InlineData("text", "notes.png", "not a recognised image format")]
    [InlineData("truncated png", "truncated.png", "truncated")]
    [InlineData("truncated jpeg", "truncated.jpg", "truncated")]
    [InlineData("missing", "missing.jpg", "does not exist")]
    [InlineData("folder", "folder.png", "access is denied")]
    public void Unusable_files_throw_an_ImageLoadException_naming_the_file(string kind, string name, string reason)
    {
        var path = _folder.File(name);
        switch (kind)
        {
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "random":
                var bytes = new byte[4096];
                new Random(1234).NextBytes(bytes);
                File.WriteAllBytes(path, bytes);
                break;
            case "text":
                File.WriteAllText(path, "This is a text file, not a picture.\n");
                break;
            case "truncated png":
                File.WriteAllBytes(path, HalfOf("skimage_astronaut.png"));
                break;
            case "truncated jpeg":
                File.WriteAllBytes(path, HalfOf("skimage_rocket.jpg"));
                break;
            case "folder":
                Directory.CreateDirectory(path);
                break;
        }

        var error = Assert.Throws<ImageLoadException>(() => HwcTensor.Read(path, 32, 32, 3));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(name, error.Message);
        Assert.Contains(reason, error.Message);
        Assert.Contains("expected a JPEG, PNG, BMP, GIF or WebP image", error.Message);
        // ReadSize reads only the header, which a truncated file still has.
        if (!kind.StartsWith("truncated", StringComparison.Ordinal))
            Assert.Equal(error.Message, Assert.Throws<ImageLoadException>(() => ImageTensorReader.ReadSize(path)).Message);
    }

    [Fact]
    public void Images_over_the_pixel_limit_are_refused_before_decoding()
    {
        var path = TestFiles.Photo("skimage_astronaut.png");

        var error = Assert.Throws<ImageLoadException>(() => HwcTensor.Read(path, 32, 32, 3, maxPixels: 512 * 512 - 1));

        Assert.Contains("skimage_astronaut.png", error.Message);
        Assert.Contains("512x512 = 262144 pixels", error.Message);
        Assert.Contains("limit of 262143", error.Message);
        HwcTensor.Read(path, 32, 32, 3, maxPixels: 512 * 512); // exactly at the limit is allowed
    }

    [Fact]
    public void A_header_claiming_thirty_thousand_squared_pixels_is_refused_by_default()
    {
        var path = _folder.File("bomb.png");
        File.WriteAllBytes(path, Png.HeaderOnly(30_000, 30_000));

        var error = Assert.Throws<ImageLoadException>(() => HwcTensor.Read(path, 224, 224, 3));

        Assert.Contains("bomb.png", error.Message);
        Assert.Contains("30000x30000 = 900000000 pixels", error.Message);
        Assert.Contains($"limit of {ImageLimits.DefaultMaxPixels}", error.Message);
    }

    private static byte[] HalfOf(string photo)
    {
        var bytes = File.ReadAllBytes(TestFiles.Photo(photo));
        return bytes[..(bytes.Length / 2)];
    }
}
