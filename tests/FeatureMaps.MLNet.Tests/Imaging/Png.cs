using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace FeatureMaps.MLNet.Tests.Imaging;

/// <summary>Writes PNG files byte by byte, for inputs no encoder produces: palette images and lying headers.</summary>
internal static class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = MakeCrcTable();

    /// <summary>An 8-bit palette PNG; <paramref name="indices"/> holds one palette index per pixel, row by row.</summary>
    public static byte[] Palette(int width, int height, ReadOnlySpan<byte> palette, ReadOnlySpan<byte> indices)
    {
        var raw = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0); // filter type None
            raw.Write(indices.Slice(y * width, width));
        }

        return File(Header(width, height, bitDepth: 8, colorType: 3), [("PLTE", palette.ToArray()), ("IDAT", Deflate(raw.ToArray()))]);
    }

    /// <summary>A 16-bit-per-channel RGB PNG (Skia cannot encode one); each 8-bit value v is stored as v·257, the same level in 16 bits.</summary>
    public static byte[] Rgb16(int width, int height, Func<int, int, (byte R, byte G, byte B)> color)
    {
        var raw = new MemoryStream();
        Span<byte> sample = stackalloc byte[2];
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0); // filter type None
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = color(x, y);
                foreach (var v in (ReadOnlySpan<byte>)[r, g, b])
                {
                    BinaryPrimitives.WriteUInt16BigEndian(sample, (ushort)(v * 257));
                    raw.Write(sample);
                }
            }
        }

        return File(Header(width, height, bitDepth: 16, colorType: 2), [("IDAT", Deflate(raw.ToArray()))]);
    }

    /// <summary>A valid signature and IHDR claiming <paramref name="width"/> × <paramref name="height"/> RGBA pixels, followed by a token IDAT.</summary>
    public static byte[] HeaderOnly(int width, int height) =>
        File(Header(width, height, bitDepth: 8, colorType: 6), [("IDAT", Deflate([0, 0, 0, 0, 0]))]);

    /// <summary>The bit depth recorded in a PNG's IHDR.</summary>
    public static int BitDepth(ReadOnlySpan<byte> png) => png[24];

    private static byte[] Header(int width, int height, byte bitDepth, byte colorType)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = bitDepth;
        ihdr[9] = colorType; // compression, filter and interlace methods stay 0
        return ihdr;
    }

    private static byte[] File(byte[] ihdr, (string Type, byte[] Data)[] chunks)
    {
        var png = new MemoryStream();
        png.Write(Signature);
        WriteChunk(png, "IHDR", ihdr);
        foreach (var (type, data) in chunks)
            WriteChunk(png, type, data);
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc(typeAndData));
        png.Write(word);
    }

    private static byte[] Deflate(byte[] data)
    {
        var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(data);
        return output.ToArray();
    }

    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }

        return table;
    }
}
