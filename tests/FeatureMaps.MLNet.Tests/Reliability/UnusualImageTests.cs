using FeatureMaps.MLNet.Imaging;
using FeatureMaps.MLNet.Tests.Imaging;

namespace FeatureMaps.MLNet.Tests.Reliability;

/// <summary>Image files of the unusual kinds issue 7 lists that the format tests do not cover, read by the library.</summary>
[Trait("Category", "Reliability")]
public sealed class UnusualImageTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_cmyk_jpeg_decodes_to_the_colours_of_its_rgb_source()
    {
        var cmyk = HwcTensor.Read(ReliabilityData.CmykJpeg, 48, 48, 3);
        var rgb = HwcTensor.Read(ReliabilityData.CmykSource, 48, 48, 3);

        // JPEG at quality 95 and the naive CMYK round trip (no colour profile) cost a few levels; inverted or swapped
        // channels would cost about a hundred.
        var differences = cmyk.Data.Zip(rgb.Data, (a, b) => Math.Abs(a - b)).ToArray();
        Assert.True(differences.Average() < 4, $"mean difference {differences.Average():0.00} levels");
        Assert.True(differences.Max() < 40, $"largest difference {differences.Max():0} levels");
    }

    [Fact]
    public void An_animated_gif_gives_its_first_frame()
    {
        var tensor = HwcTensor.Read(ReliabilityData.AnimatedGif, 4, 4, 3);

        Assert.All(Enumerable.Range(0, 16), i => ImageTensorReaderTests.AssertClose([255, 0, 0], tensor.Data[(3 * i)..((3 * i) + 3)]));
    }

    [Fact]
    public void A_png_with_a_bad_crc_is_refused_naming_the_file_or_decodes_to_its_intact_pixels()
    {
        var path = _folder.File("bad-crc.png");
        File.WriteAllBytes(path, ReliabilityData.WithBadIdatCrc(File.ReadAllBytes(ReliabilityData.CmykSource)));

        try
        {
            var tensor = HwcTensor.Read(path, 48, 48, 3);
            Assert.Equal(HwcTensor.Read(ReliabilityData.CmykSource, 48, 48, 3).Data, tensor.Data);
        }
        catch (ImageLoadException e)
        {
            Assert.Contains("'" + path + "'", e.Message);
            Assert.Contains("expected a JPEG, PNG, BMP, GIF or WebP image", e.Message);
        }
    }

    [Fact]
    public void A_one_pixel_image_fills_the_whole_input()
    {
        var path = _folder.File("one.png");
        File.WriteAllBytes(path, SyntheticImages.Png(1, 1, (_, _) => SkiaSharp.SKColors.Lime));

        var tensor = HwcTensor.Read(path, 5, 3, 3);

        Assert.All(Enumerable.Range(0, 15), i => ImageTensorReaderTests.AssertClose([0, 255, 0], tensor.Data[(3 * i)..((3 * i) + 3)]));
    }

    [Fact]
    public async Task A_pipe_named_like_an_image_is_refused_without_being_opened()
    {
        var path = _folder.File("pipe.jpg");
        ReliabilityData.MakeFifo(path);

        var read = Task.Run(() => HwcTensor.Read(path, 8, 8, 3));
        var finished = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(60))) == read;
        if (!finished)
            ReliabilityData.Release(path);

        Assert.True(finished, "Reading the pipe blocked.");
        var error = Assert.IsType<ImageLoadException>(read.Exception?.InnerException);
        Assert.Contains($"Cannot decode '{path}': the file is empty (0 bytes) or not a regular file (a pipe", error.Message);
    }

    [Fact]
    public void A_dangling_link_says_where_it_points()
    {
        var path = _folder.File("link.jpg");
        File.CreateSymbolicLink(path, "nowhere.jpg");

        var error = Assert.Throws<ImageLoadException>(() => HwcTensor.Read(path, 8, 8, 3));

        Assert.Contains($"Cannot read '{path}': it is a symbolic link to 'nowhere.jpg', which does not exist", error.Message);
    }

    [Fact]
    public void A_link_to_itself_is_refused_naming_it()
    {
        var path = _folder.File("loop.png");
        File.CreateSymbolicLink(path, "loop.png");

        var error = Assert.Throws<ImageLoadException>(() => HwcTensor.Read(path, 8, 8, 3));

        Assert.Contains($"Cannot read '{path}': the file cannot be opened (", error.Message);
    }
}
