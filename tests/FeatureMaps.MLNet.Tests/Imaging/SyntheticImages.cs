using System.Buffers.Binary;
using SkiaSharp;

namespace FeatureMaps.MLNet.Tests.Imaging;

/// <summary>Small images made by the tests themselves, so every expected pixel is known.</summary>
internal static class SyntheticImages
{
    /// <summary>An unpremultiplied RGBA image whose pixel (x, y) is <paramref name="color"/>(x, y).</summary>
    public static SKBitmap Bitmap(int width, int height, Func<int, int, SKColor> color)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                bitmap.SetPixel(x, y, color(x, y));
        return bitmap;
    }

    public static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality = 100)
    {
        using var data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    public static byte[] Png(int width, int height, Func<int, int, SKColor> color)
    {
        using var bitmap = Bitmap(width, height, color);
        return Encode(bitmap, SKEncodedImageFormat.Png);
    }

    /// <summary>The 200×100 test card: red columns 0–39, green 40–159, blue 160–199.</summary>
    public static byte[] ThreeBands() => Png(200, 100, (x, _) => x < 40 ? SKColors.Red : x < 160 ? SKColors.Lime : SKColors.Blue);

    /// <summary>An uncompressed 24-bit BMP (Skia has no BMP encoder): 54-byte header, bottom-up BGR rows padded to 4 bytes.</summary>
    public static byte[] Bmp(int width, int height, Func<int, int, SKColor> color)
    {
        var stride = ((width * 3) + 3) & ~3;
        var bmp = new byte[54 + (stride * height)];
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54); // pixel data offset
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40); // BITMAPINFOHEADER size
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1); // planes
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24); // bits per pixel
        for (var y = 0; y < height; y++)
        {
            var row = 54 + ((height - 1 - y) * stride);
            for (var x = 0; x < width; x++)
            {
                var c = color(x, y);
                bmp[row + (3 * x)] = c.Blue;
                bmp[row + (3 * x) + 1] = c.Green;
                bmp[row + (3 * x) + 2] = c.Red;
            }
        }

        return bmp;
    }

    /// <summary>
    /// A 2×1 GIF (Skia has no GIF encoder): a red pixel then a blue one. The LZW data, with 2-bit minimum code size,
    /// is the codes Clear(4), 0, 1, End(5) in 3 bits each, packed least significant bit first: 0x44 0x0A.
    /// </summary>
    public static byte[] RedBlueGif() =>
    [
        .. "GIF89a"u8,
        0x02, 0x00, 0x01, 0x00, // 2 × 1
        0x80, 0x00, 0x00, // global colour table of 2 entries
        0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, // red, blue
        0x2C, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, // image descriptor
        0x02, 0x02, 0x44, 0x0A, 0x00, // LZW minimum code size, one 2-byte sub-block, terminator
        0x3B,
    ];

    /// <summary>
    /// Inserts an APP1 Exif segment holding only an Orientation tag right after the JPEG's SOI marker:
    /// "Exif\0\0", a big-endian TIFF header, and IFD0 with one entry (tag 0x0112, SHORT, count 1).
    /// </summary>
    public static byte[] WithExifOrientation(byte[] jpeg, int orientation)
    {
        byte[] segment =
        [
            0xFF, 0xE1, 0x00, 0x22, // APP1, length 34 including these two bytes
            .. "Exif\0\0"u8,
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, // TIFF header, IFD0 at offset 8
            0x00, 0x01, // one entry
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, (byte)orientation, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, // no next IFD
        ];
        if (jpeg[0] != 0xFF || jpeg[1] != 0xD8)
            throw new ArgumentException("Not a JPEG: no SOI marker.", nameof(jpeg));
        return [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2)];
    }
}
