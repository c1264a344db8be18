using FeatureMaps.MLNet.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Tests.Transforms;

public class NormalizeForDisplayTests
{
    [Fact]
    public void Matches_the_tutorials_formula_on_real_activations()
    {
        var ml = new MLContext(seed: 1);
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var result = SeedPipeline.Build(ml).Fit(images).Transform(images);

        foreach (var layer in new[] { "conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_2" })
        {
            var dims = SeedPipeline.Dims(result, "Layer." + layer);
            var activations = SeedPipeline.First<float>(result, "Layer." + layer);
            var display = SeedPipeline.First<byte>(result, "Display." + layer);
            var reference = TutorialReference(activations, dims[0] * dims[1], dims[2]);

            // Both sides compute in double; a value could land on the other side of an integer only when
            // it sits within rounding of that integer (none did on this photo).
            var differing = Enumerable.Range(0, display.Length).Where(i => display[i] != reference.Bytes[i]).ToList();
            Assert.All(differing, i =>
            {
                Assert.Equal(1, Math.Abs(display[i] - reference.Bytes[i]));
                Assert.True(Math.Abs(reference.Unclipped[i] - Math.Round(reference.Unclipped[i])) < 1e-3,
                    $"{layer}[{i}]: {display[i]} vs reference {reference.Bytes[i]} from {reference.Unclipped[i]}");
            });
            Assert.Empty(differing);
        }
    }

    /// <summary>The tutorial's numpy lines, as plain loops in double: x -= mean; x /= std; x *= 64; x += 128; clip; astype('uint8').</summary>
    private static (byte[] Bytes, double[] Unclipped) TutorialReference(float[] hwc, int pixels, int channels)
    {
        var bytes = new byte[hwc.Length];
        var unclipped = new double[hwc.Length];
        for (var c = 0; c < channels; c++)
        {
            double sum = 0;
            for (var p = 0; p < pixels; p++) sum += hwc[p * channels + c];
            var mean = sum / pixels;
            double squares = 0;
            for (var p = 0; p < pixels; p++) squares += (hwc[p * channels + c] - mean) * (hwc[p * channels + c] - mean);
            var std = Math.Sqrt(squares / pixels);
            for (var p = 0; p < pixels; p++)
            {
                var i = p * channels + c;
                var x = std == 0 ? 128 : (hwc[i] - mean) / std * 64 + 128;
                unclipped[i] = x;
                bytes[i] = (byte)Math.Clamp(x, 0, 255); // the cast truncates, as astype('uint8') does
            }
        }
        return (bytes, unclipped);
    }

    private sealed class MapRow
    {
        [VectorType(4, 4, 3)]
        [ColumnName("Layer.test")]
        public float[] Maps { get; set; } = [];
    }

    private static byte[] Normalize(float[] maps, NormalizationMode mode = NormalizationMode.Standardize, NormalizationScope scope = NormalizationScope.PerChannel)
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(new[] { new MapRow { Maps = maps } });
        var result = ml.Transforms.NormalizeForDisplay(mode, scope).Fit(data).Transform(data);
        return SeedPipeline.First<byte>(result, "Display.test");
    }

    /// <summary>Channel 0 constant, channel 1 a ramp, channel 2 holding NaN and infinities.</summary>
    private static float[] Maps()
    {
        var maps = new float[4 * 4 * 3];
        for (var p = 0; p < 16; p++)
        {
            maps[p * 3] = 5f;
            maps[p * 3 + 1] = p;
            maps[p * 3 + 2] = p switch { 0 => float.NaN, 1 => float.PositiveInfinity, 2 => float.NegativeInfinity, _ => p };
        }
        return maps;
    }

    [Fact]
    public void A_constant_channel_becomes_mid_grey()
    {
        var display = Normalize(Maps());
        Assert.All(Enumerable.Range(0, 16), p => Assert.Equal(128, display[p * 3]));
    }

    [Fact]
    public void NaN_and_infinity_give_the_documented_values_without_throwing()
    {
        var display = Normalize(Maps());
        // ±Inf clamp to ±float.MaxValue, so the channel's std overflows to infinity: the finite pixels
        // sit at the mean (128), +Inf at the top end of its range and NaN counts as 0.
        var channel = Enumerable.Range(0, 16).Select(p => display[p * 3 + 2]).ToArray();
        Assert.All(channel[3..], v => Assert.Equal(128, v));
        Assert.All(Enumerable.Range(0, 16), p => Assert.InRange(display[p * 3 + 1], 0, 255));
        foreach (var mode in Enum.GetValues<NormalizationMode>())
            foreach (var scope in Enum.GetValues<NormalizationScope>())
                Assert.Equal(48, Normalize(Maps(), mode, scope).Length);
    }

    /// <summary>
    /// The order of operations is the tutorial's (divide by the spread, then scale): taking <c>scale / spread</c> once
    /// per channel would give 254.99999999999997 for the top of a 0..25 range and 191.99999999999997 for a value one
    /// standard deviation (49) above the mean, which the cast truncates to 254 and 191.
    /// </summary>
    [Fact]
    public void Exact_levels_stay_exact_at_the_top_of_a_range_and_one_deviation_above_the_mean()
    {
        var maps = new float[4 * 4 * 3];
        for (var p = 0; p < 16; p++)
        {
            maps[p * 3] = p == 15 ? 25f : 0f; // min-max: 0..25
            maps[p * 3 + 1] = p % 2 == 0 ? 98f : 0f; // mean 49, std 49
        }

        var stretched = Normalize(maps, NormalizationMode.MinMax);
        var standardized = Normalize(maps);

        Assert.Equal(255, stretched[15 * 3]);
        Assert.Equal(0, stretched[0]);
        Assert.Equal(192, standardized[1]);
        Assert.Equal(64, standardized[1 * 3 + 1]);
    }

    [Fact]
    public void A_scale_or_offset_that_is_not_finite_is_refused()
    {
        var ml = new MLContext();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.NormalizeForDisplay(new NormalizeForDisplayOptions { Scale = float.PositiveInfinity }));
        Assert.Contains("finite", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MinMax_stretches_each_channel_to_the_full_range()
    {
        var display = Normalize(Maps(), NormalizationMode.MinMax);
        var ramp = Enumerable.Range(0, 16).Select(p => display[p * 3 + 1]).ToArray();
        Assert.Equal(0, ramp[0]);
        Assert.Equal(255, ramp[15]);
        Assert.Equal((byte)(7 / 15.0 * 255), ramp[7]);
        Assert.Equal(128, display[0]); // constant channel
    }

    [Fact]
    public void Percentile_mode_maps_the_1st_and_99th_percentile_to_the_ends()
    {
        var display = Normalize(Maps(), NormalizationMode.Percentile);
        var ramp = Enumerable.Range(0, 16).Select(p => display[p * 3 + 1]).ToArray();
        // 16 values: nearest-rank 1st percentile is index 0, 99th is index 15.
        Assert.Equal(0, ramp[0]);
        Assert.Equal(255, ramp[15]);
    }

    [Fact]
    public void Per_layer_scope_compares_channels_on_one_scale()
    {
        var maps = Maps();
        for (var p = 0; p < 16; p++) maps[p * 3 + 2] = 1000f; // a bright constant channel
        var display = Normalize(maps, NormalizationMode.MinMax, NormalizationScope.PerLayer);
        Assert.Equal(255, display[2]);
        Assert.Equal(0, display[1]); // the ramp's 0 is the layer's minimum
        Assert.True(display[3 * 15 + 1] < 10); // the ramp's 15 is dark next to 1000
    }

    [Fact]
    public void A_column_that_is_not_feature_maps_is_rejected_with_its_name()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(new[] { new { Value = 1f } }.Select(_ => new FlatRow()));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.NormalizeForDisplay().Fit(data));
        Assert.Contains("'Layer.flat'", error.Message);
        Assert.Contains("height x width x channels", error.Message);
    }

    private sealed class FlatRow
    {
        [VectorType(10)]
        [ColumnName("Layer.flat")]
        public float[] Values { get; set; } = new float[10];
    }
}
