using FeatureMaps.MLNet.Onnx;
using FeatureMaps.MLNet.Transforms;

namespace FeatureMaps.Benchmarks.Variants;

/// <summary>
/// Hand-written preprocessing for the variants that do not use the library: interleaved 8-bit pixels in,
/// <c>(x * scale - mean) / std</c> per channel in the model's channel order and layout out.
/// </summary>
internal sealed class PixelFiller
{
    private readonly float[] _a = new float[3];
    private readonly float[] _b = new float[3];
    private readonly bool _bgr;
    private readonly bool _nchw;

    public PixelFiller(InputPreprocessing preprocessing, TensorLayout layout, int height, int width)
    {
        _bgr = preprocessing.Order == ChannelOrder.Bgr;
        _nchw = layout == TensorLayout.NCHW;
        Height = height;
        Width = width;
        for (var c = 0; c < 3; c++)
        {
            float Pick(float[] values) => values.Length == 1 ? values[0] : values[c];
            // y = (x * scale - mean) / std = x * a + b
            _a[c] = Pick(preprocessing.Scale) / Pick(preprocessing.Std);
            _b[c] = -Pick(preprocessing.Mean) / Pick(preprocessing.Std);
        }
    }

    public int Height { get; }

    public int Width { get; }

    public int Length => Height * Width * 3;

    /// <summary>Fills from pixels of <paramref name="stride"/> bytes each, red at <paramref name="red"/>, blue at <paramref name="blue"/>.</summary>
    public void Fill(ReadOnlySpan<byte> pixels, int stride, int red, int blue, Span<float> destination)
    {
        var plane = Height * Width;
        // Model channel k reads source channel first/second/third.
        var (first, third) = _bgr ? (blue, red) : (red, blue);
        var (a0, a1, a2, b0, b1, b2) = (_a[0], _a[1], _a[2], _b[0], _b[1], _b[2]);
        for (var p = 0; p < plane; p++)
        {
            var s = p * stride;
            var c0 = pixels[s + first] * a0 + b0;
            var c1 = pixels[s + 1] * a1 + b1;
            var c2 = pixels[s + third] * a2 + b2;
            if (_nchw)
            {
                destination[p] = c0;
                destination[plane + p] = c1;
                destination[2 * plane + p] = c2;
            }
            else
            {
                var d = p * 3;
                destination[d] = c0;
                destination[d + 1] = c1;
                destination[d + 2] = c2;
            }
        }
    }
}
