using System.Buffers.Binary;
using System.Diagnostics;

namespace FeatureMaps.MLNet.Tests.Reliability;

/// <summary>The committed odd images (Reliability/Data, see its README) and folder entries that are not plain files.</summary>
internal static class ReliabilityData
{
    /// <summary>A 48×48 crop of chelsea stored as an Adobe CMYK JPEG.</summary>
    public static string CmykJpeg => File("chelsea-48-cmyk.jpg");

    /// <summary>The RGB image the CMYK JPEG was converted from.</summary>
    public static string CmykSource => File("chelsea-48-rgb.png");

    /// <summary>An 8×8 GIF of three frames: red, green, blue.</summary>
    public static string AnimatedGif => File("red-green-blue-animated.gif");

    public static string File(string name) => Path.Combine(TestData.RepoRoot, "tests", "FeatureMaps.MLNet.Tests", "Reliability", "Data", name);

    /// <summary>Makes a named pipe; reading one blocks until a writer comes, so a reader that opens it hangs.</summary>
    public static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]) ?? throw new InvalidOperationException("mkfifo did not start.");
        mkfifo.WaitForExit();
        if (mkfifo.ExitCode != 0)
            throw new InvalidOperationException($"mkfifo '{path}' failed with exit code {mkfifo.ExitCode}.");
    }

    /// <summary>Lets a reader stuck in opening <paramref name="fifo"/> go on (it then reads end of file).</summary>
    public static void Release(string fifo)
    {
        using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write);
    }

    /// <summary>The PNG with the CRC of its first IDAT chunk changed: the pixel data itself is intact.</summary>
    public static byte[] WithBadIdatCrc(byte[] png)
    {
        var bytes = (byte[])png.Clone();
        for (var offset = 8; offset < bytes.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
            if (bytes.AsSpan(offset + 4, 4).SequenceEqual("IDAT"u8))
            {
                bytes[offset + 8 + length] ^= 0xFF;
                return bytes;
            }
            offset += 12 + length;
        }
        throw new ArgumentException("The PNG has no IDAT chunk.", nameof(png));
    }
}
