using System.Buffers;
using FeatureMaps.MLNet.Statistics;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// 8-bit pixels rented from the shared array pool: the cursor reuses its buffers row after row, so what the render
/// queue works on later must be a copy, and pooling keeps those copies from churning the large-object heap.
/// </summary>
internal sealed class PixelBuffer : IDisposable
{
    private byte[]? _array;

    public PixelBuffer(int height, int width, int channels)
    {
        (Height, Width, Channels) = (height, width, channels);
        _array = ArrayPool<byte>.Shared.Rent(height * width * channels);
    }

    public int Height { get; }

    public int Width { get; }

    public int Channels { get; }

    public Span<byte> Span => (_array ?? throw new ObjectDisposedException(nameof(PixelBuffer))).AsSpan(0, Height * Width * Channels);

    public void Dispose()
    {
        if (_array is { } array)
            ArrayPool<byte>.Shared.Return(array);
        _array = null;
    }
}

/// <summary>A layer of one image as the render queue needs it: its belt (a copy) and what was measured on the cursor.</summary>
internal sealed record LayerBelt(string Name, int Height, int Width, int Channels, PixelBuffer Belt, LayerStatistics Statistics, ChannelActivity Activity);

/// <summary>Everything needed to write one image's outputs, detached from the cursor.</summary>
internal sealed class RenderJob : IDisposable
{
    public required CatalogImage Image { get; init; }

    /// <summary>The model input as the network saw it, height x width x channels.</summary>
    public required PixelBuffer Input { get; init; }

    public required IReadOnlyList<LayerBelt> Layers { get; init; }

    public required IReadOnlyList<ModelOutput> Outputs { get; init; }

    public required double InferenceMs { get; init; }

    /// <summary>The Eigen-CAM of the predicted class, when the pipeline makes one.</summary>
    public CamMap? Cam { get; init; }

    public void Dispose()
    {
        Input.Dispose();
        foreach (var layer in Layers)
            layer.Belt.Dispose();
    }
}
