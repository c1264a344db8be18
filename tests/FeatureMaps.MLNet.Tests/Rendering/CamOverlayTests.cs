using FeatureMaps.MLNet.Rendering;
using FeatureMaps.MLNet.Tests.Cli;

namespace FeatureMaps.MLNet.Tests.Rendering;

public class CamOverlayTests
{
    private static float[] Photo(int height, int width, float r, float g, float b) =>
        Enumerable.Range(0, height * width).SelectMany(_ => new[] { r, g, b }).ToArray();

    [Fact]
    public void Upsampling_is_bilinear_with_pixel_centres_aligned()
    {
        // Two columns 0 | 1 become four: the outer pixels keep the edge values, the inner ones blend 1/4 and 3/4.
        var up = CamOverlay.Upsample([0f, 1f, 0f, 1f], 2, 2, 4, 4);

        for (var y = 0; y < 4; y++)
            Assert.Equal([0f, 0.25f, 0.75f, 1f], up.AsSpan(y * 4, 4).ToArray());
    }

    [Fact]
    public void A_map_value_is_blended_with_the_photo_by_alpha_through_the_colormap()
    {
        var options = new CamOverlayOptions { Colormap = Colormaps.FromName("gray"), Alpha = 0.25 };

        var blended = CamOverlay.Blend([1f], 1, 1, Photo(1, 1, 100, 0, 200), 1, 1, 3, options);

        // gray maps 1 to white: 0.75 * photo + 0.25 * 255
        Assert.Equal([(byte)139, (byte)64, (byte)214], blended);
    }

    [Fact]
    public void NaN_in_the_map_leaves_the_photo_uncoloured_there()
    {
        var photo = Photo(2, 2, 10, 20, 30);

        var blended = CamOverlay.Blend([float.NaN], 1, 1, photo, 2, 2, 3);

        Assert.Equal(photo.Select(v => (byte)v), blended);
    }

    [Fact]
    public void A_constant_map_tints_the_picture_evenly_instead_of_inventing_contrast()
    {
        var photo = Photo(3, 3, 90, 90, 90);

        var zeros = CamOverlay.Blend(new float[4], 2, 2, photo, 3, 3, 3);
        var halves = CamOverlay.Blend([0.5f, 0.5f, 0.5f, 0.5f], 2, 2, photo, 3, 3, 3);

        Assert.Single(zeros.Chunk(3).Select(p => (p[0], p[1], p[2])).Distinct());
        Assert.Single(halves.Chunk(3).Select(p => (p[0], p[1], p[2])).Distinct());
        Assert.NotEqual(zeros[..3], halves[..3]);
    }

    [Fact]
    public void Values_outside_0_to_1_are_clamped_and_a_grey_image_is_shown_grey()
    {
        var options = new CamOverlayOptions { Colormap = Colormaps.FromName("gray"), Alpha = 1 };

        var blended = CamOverlay.Blend([-3f, 7f], 1, 2, [50f, 50f], 1, 2, 1, options);

        Assert.Equal([(byte)0, (byte)0, (byte)0, (byte)255, (byte)255, (byte)255], blended);
    }

    [Fact]
    public void Bad_sizes_and_alpha_are_refused_with_the_expected_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => CamOverlay.Blend(new float[3], 2, 2, new float[12], 2, 2, 3));
        Assert.Contains("mapHeight * mapWidth", error.Message);
        Assert.ThrowsAny<ArgumentException>(() => CamOverlay.Blend(new float[4], 2, 2, new float[12], 2, 2, 3, new CamOverlayOptions { Alpha = 2 }));
        Assert.ThrowsAny<ArgumentException>(() => CamOverlay.Blend(new float[4], 2, 2, new float[8], 2, 2, 2));
    }

    [Fact]
    public void CamPlot_draws_the_photo_and_its_overlay_side_by_side_and_writes_atomically()
    {
        using var temp = new TempFolder();
        var path = temp.File("cam.png");
        var photo = Photo(40, 60, 200, 200, 200);

        CamPlot.SavePng(path, [0f, 1f, 0f, 0f], 2, 2, photo, 40, 60, 3, title: "cat (90 %)");

        using var png = OutputFolder.DecodePng(path);
        Assert.Equal(2 * (2 * 60 + 8), png.Width);
        Assert.Equal(2 * 40 + 40, png.Height); // the title's room
        Assert.Empty(OutputFolder.Temporaries(temp.Path));
        // Left panel: the plain grey photo; right panel's top right (the map's 1): coloured.
        var left = png.GetPixel(30, 40 + 40);
        var hot = png.GetPixel(2 * (60 + 8 + 55), 40 + 10);
        Assert.Equal((200, 200, 200), (left.Red, left.Green, left.Blue));
        Assert.True(hot.Red > hot.Blue + 30, $"the overlay's hot corner is {hot}"); // jet's top is red
    }
}
