using System.Text;

namespace FeatureMaps.Samples.Cli;

/// <summary>Binary PGM (P5): the simplest lossless 8-bit grey image file, readable by most image tools.</summary>
internal static class Pgm
{
    /// <summary>Writes the file atomically (see <see cref="AtomicFiles"/>).</summary>
    public static void Write(string path, ReadOnlySpan<byte> pixels, int height, int width)
    {
        if (pixels.Length != height * width)
            throw new ArgumentException($"PGM '{path}': {pixels.Length} pixels for {height}x{width}.");
        var header = Encoding.ASCII.GetBytes($"P5\n{width} {height}\n255\n");
        var file = new byte[header.Length + pixels.Length];
        header.CopyTo(file, 0);
        pixels.CopyTo(file.AsSpan(header.Length));
        AtomicFiles.WriteAllBytes(path, file);
    }

    public static (int Height, int Width, byte[] Pixels) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var header = Encoding.ASCII.GetString(bytes, 0, Math.Min(64, bytes.Length)).Split('\n', 4);
        var size = header[1].Split(' ');
        var (width, height) = (int.Parse(size[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(size[1], System.Globalization.CultureInfo.InvariantCulture));
        var offset = header[0].Length + header[1].Length + header[2].Length + 3;
        return (height, width, bytes[offset..]);
    }
}
