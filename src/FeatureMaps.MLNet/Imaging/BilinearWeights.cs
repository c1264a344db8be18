namespace FeatureMaps.MLNet.Imaging;

/// <summary>
/// Bilinear resampling along one axis as a matrix, with pixel centres aligned (OpenCV's and PyTorch's
/// <c>align_corners=False</c>): output pixel <c>i</c> samples the source at <c>(i + 0.5) * from / to - 0.5</c>,
/// clamped to the edge pixels. Upsampling a map is then <c>Rows · map · Columnsᵀ</c>, which ONNX graphs can do
/// with MatMul in any opset and the overlay renderer does row by row.
/// </summary>
internal static class BilinearWeights
{
    /// <summary>The <paramref name="to"/> x <paramref name="from"/> weights, row-major; each row sums to 1.</summary>
    public static float[] Matrix(int from, int to)
    {
        var matrix = new float[(long)to * from];
        for (var i = 0; i < to; i++)
        {
            var (lower, upper, weight) = Sample(i, from, to);
            matrix[(long)i * from + lower] += 1f - weight;
            matrix[(long)i * from + upper] += weight;
        }
        return matrix;
    }

    /// <summary>The two source pixels output pixel <paramref name="i"/> blends and the weight of the upper one.</summary>
    public static (int Lower, int Upper, float Weight) Sample(int i, int from, int to)
    {
        var source = Math.Clamp((i + 0.5) * from / to - 0.5, 0, from - 1);
        var lower = (int)Math.Floor(source);
        var upper = Math.Min(lower + 1, from - 1);
        return (lower, upper, (float)(source - lower));
    }
}
