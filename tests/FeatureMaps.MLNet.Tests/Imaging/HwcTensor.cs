using FeatureMaps.MLNet.Imaging;

namespace FeatureMaps.MLNet.Tests.Imaging;

/// <summary>What <see cref="ImageTensorReader.Read"/> wrote, with pixel access by position.</summary>
internal sealed class HwcTensor(float[] data, int width, int height, int channels)
{
    public float[] Data { get; } = data;

    public int Width { get; } = width;

    public int Height { get; } = height;

    public int Channels { get; } = channels;

    /// <summary>The channel values of pixel (x, y).</summary>
    public float[] this[int x, int y] => Data.AsSpan(((y * Width) + x) * Channels, Channels).ToArray();

    public static HwcTensor Read(string path, int width, int height, int channels, ResizeMode mode = ResizeMode.Stretch, long maxPixels = ImageLimits.DefaultMaxPixels)
    {
        var data = new float[width * height * channels];
        ImageTensorReader.Read(path, width, height, channels, mode, data, maxPixels);
        return new HwcTensor(data, width, height, channels);
    }

    public static HwcTensor Read(byte[] file, TempFolder folder, string name, int width, int height, int channels, ResizeMode mode = ResizeMode.Stretch)
    {
        var path = folder.File(name);
        File.WriteAllBytes(path, file);
        return Read(path, width, height, channels, mode);
    }
}
