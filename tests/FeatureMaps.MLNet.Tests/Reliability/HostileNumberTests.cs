using FeatureMaps.MLNet.Transforms;
using FeatureMaps.MLNet.Tests.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Tests.Reliability;

[Trait("Category", "Reliability")]
public class HostileNumberTests
{
    private sealed class MapRow
    {
        [VectorType(2, 2, 4)]
        [ColumnName("Layer.maps")]
        public float[] Maps { get; set; } = [];
    }

    private static byte[] Display(float[] maps, NormalizationMode mode)
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(new[] { new MapRow { Maps = maps } });
        return SeedPipeline.First<byte>(ml.Transforms.NormalizeForDisplay(mode).Fit(data).Transform(data), "Display.maps");
    }

    public static TheoryData<string, float[]> Cases => new()
    {
        { "all zero", new float[16] },
        { "huge", Enumerable.Range(0, 16).Select(i => i * 1e30f).ToArray() },
        { "tiny", Enumerable.Range(0, 16).Select(i => i * 1e-38f).ToArray() },
        { "all NaN", Enumerable.Repeat(float.NaN, 16).ToArray() },
        { "infinities", Enumerable.Range(0, 16).Select(i => i % 2 == 0 ? float.PositiveInfinity : float.NegativeInfinity).ToArray() },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Degenerate_activations_give_defined_bytes_in_every_mode(string name, float[] maps)
    {
        foreach (var mode in Enum.GetValues<NormalizationMode>())
        {
            var display = Display(maps, mode);
            Assert.Equal(16, display.Length);
            if (name is "all zero" or "all NaN")
                Assert.All(display, b => Assert.Equal(128, b)); // constant channels are mid-grey
        }
    }

    [Fact]
    public void Huge_values_keep_their_order()
    {
        // Channel 0 holds 0, 4e30, 8e30, 12e30 at the four pixels: standardized they rise left to right.
        var display = Display(Enumerable.Range(0, 16).Select(i => i * 1e30f).ToArray(), NormalizationMode.Standardize);
        var channel0 = new[] { display[0], display[4], display[8], display[12] };
        Assert.Equal(channel0.OrderBy(b => b), channel0);
        Assert.True(channel0[3] > channel0[0]);
    }
}
