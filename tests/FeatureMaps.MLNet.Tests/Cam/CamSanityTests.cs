using FeatureMaps.MLNet.Onnx;
using FeatureMaps.MLNet.Tests.Imaging;
using FeatureMaps.MLNet.Transforms;
using Google.Protobuf;
using SkiaSharp;

namespace FeatureMaps.MLNet.Tests.Cam;

/// <summary>
/// The sanity checks of "Sanity Checks for Saliency Maps" (Adebayo et al. 2018) that a gradient-free CAM can fail:
/// a map that ignores the weights, a map that ignores where the object is, a map that lands on the background.
/// </summary>
public class CamSanityTests
{
    [Theory]
    [InlineData(CamMethod.Eigen)]
    [InlineData(CamMethod.Score)]
    public void The_map_changes_when_the_models_weights_are_randomized(CamMethod method)
    {
        using var temp = new TempFolder();
        var randomized = temp.File("seed-randomized.onnx");
        File.WriteAllBytes(randomized, WithRandomWeights(TestData.SeedModel).ToByteArray());
        var image = temp.File("square.png");
        File.WriteAllBytes(image, ShapeInQuadrant(0, 0));

        var trained = CamModels.Run(CamModels.Seed, CamModels.Seed.Options(method, target: 1), image).Single();
        var random = CamModels.Run(CamModels.Seed, CamModels.Seed.Options(method, target: 1, modelPath: randomized), image).Single();

        var correlation = Correlation(trained.Values, random.Values);
        Assert.True(correlation < 0.5, $"{method}: the map of the randomized model correlates {correlation:F3} with the trained model's");
    }

    [Theory]
    [InlineData(CamMethod.Eigen)]
    [InlineData(CamMethod.Score)]
    public void On_the_seed_CNN_the_maps_mass_lies_in_the_quadrant_that_holds_the_shape(CamMethod method)
    {
        using var temp = new TempFolder();
        var quadrants = new[] { (0, 0), (0, 1), (1, 0), (1, 1) };
        var images = quadrants.Select(q =>
        {
            var path = temp.File($"square-{q.Item1}{q.Item2}.png");
            File.WriteAllBytes(path, ShapeInQuadrant(q.Item1, q.Item2));
            return path;
        }).ToArray();

        var maps = CamModels.Run(CamModels.Seed, CamModels.Seed.Options(method), images);

        for (var i = 0; i < quadrants.Length; i++)
        {
            var (row, column) = quadrants[i];
            var mass = maps[i].MassIn(row * 0.5, column * 0.5, row * 0.5 + 0.5, column * 0.5 + 0.5);
            Assert.True(mass > 0.5, $"{method}, shape in quadrant ({row}, {column}): only {mass:P0} of the map's mass lies there (a quarter by chance)");
        }
    }

    /// <summary>The cat's head in chelsea (451 x 300), drawn by hand: x 70..370, y 0..300; the background is the right strip and the corners.</summary>
    private static readonly (double Top, double Left, double Bottom, double Right) CatHead = (0, 70 / 451.0, 1, 370 / 451.0);

    [Theory]
    [InlineData(CamMethod.Occlusion, null)]
    [InlineData(CamMethod.Score, "pool5_1")]
    public void On_chelsea_the_Egyptian_cat_map_of_SqueezeNet_peaks_on_the_cat(CamMethod method, string? layer)
    {
        const int EgyptianCat = 285;
        var options = CamModels.SqueezeNet.Options(method, target: EgyptianCat, layer: layer, patchSize: 32);

        var map = CamModels.Run(CamModels.SqueezeNet, options, TestData.Chelsea).Single();

        Assert.Equal(EgyptianCat, map.Class);
        var (y, x) = map.Peak();
        Assert.True(y >= CatHead.Top && y < CatHead.Bottom && x >= CatHead.Left && x < CatHead.Right,
            $"{method}: the peak at ({x:F2}, {y:F2}) of the width and height lies outside the cat's head");
        Assert.True(map.MassIn(CatHead.Top, CatHead.Left, CatHead.Bottom, CatHead.Right) > 0.7);
    }

    /// <summary>A dark square (the seed's class 1) on a light background, centred in one quadrant of a 150 x 150 picture.</summary>
    internal static byte[] ShapeInQuadrant(int row, int column)
    {
        var (cy, cx) = (37 + row * 75, 37 + column * 75);
        return SyntheticImages.Png(150, 150, (x, y) =>
            Math.Abs(x - cx) <= 22 && Math.Abs(y - cy) <= 22 ? new SKColor(30, 60, 160) : new SKColor(225, 220, 205));
    }

    /// <summary>The model with every float weight replaced by Gaussian noise of the same mean and spread (the "full randomization" of Adebayo et al.).</summary>
    private static global::Onnx.ModelProto WithRandomWeights(string path)
    {
        var model = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var random = new Random(3);
        foreach (var tensor in model.Graph.Initializer.Where(t => (TensorElementKind)t.DataType == TensorElementKind.Float))
        {
            var values = tensor.FloatData.Count > 0 ? tensor.FloatData.ToArray() : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
            if (values.Length < 2) continue;
            var mean = values.Average();
            var std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
            for (var i = 0; i < values.Length; i++)
                values[i] = (float)(mean + std * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
            tensor.FloatData.Clear();
            tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        }
        return model;
    }

    private static double Correlation(float[] a, float[] b)
    {
        var (ma, mb) = (a.Average(), b.Average());
        double sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.Sqrt(saa * sbb);
    }
}
