using System.Runtime.InteropServices;
using SkiaSharp;

namespace FeatureMaps.MLNet.Imaging;

/// <summary>
/// Decodes an image file with SkiaSharp into a float tensor for a CNN input: upright (EXIF orientation applied),
/// resized to the network's size, in HWC order (height × width × channels, row-major) with values 0..255.
/// ML.NET's own image loading (<c>ExtractPixels</c>, <c>MLImage.Pixels</c>) fails with SkiaSharp 3, hence this reader.
/// </summary>
/// <remarks>
/// Channel order: 1 = luminance (0.299 R + 0.587 G + 0.114 B), 3 = R, G, B, 4 = R, G, B, A. For 1 and 3 channels
/// transparent pixels are composited over black first, so a transparent area reads as black rather than as whatever
/// colour happens to be stored under alpha 0. Padding added by <see cref="ResizeMode.Pad"/> is black, and transparent
/// (alpha 0) in 4-channel output. Embedded colour profiles are ignored, as PIL and Keras ignore them, so values are
/// the stored ones.
/// </remarks>
internal static class ImageTensorReader
{
    private const string Expected = "expected a JPEG, PNG, BMP, GIF or WebP image.";

    // Bilinear between bilinear mipmap levels: no aliasing when a large photo is shrunk to a small network input.
    private static readonly SKSamplingOptions Sampling = new(SKFilterMode.Linear, SKMipmapMode.Linear);

    /// <summary>
    /// Reads <paramref name="path"/> into <paramref name="destination"/>, which must hold
    /// <paramref name="width"/> × <paramref name="height"/> × <paramref name="channels"/> floats.
    /// </summary>
    /// <exception cref="ImageLoadException">The file is missing, unreadable, not a decodable image, corrupt or truncated,
    /// or larger than <paramref name="maxPixels"/> (checked from the header, before decoding).</exception>
    public static void Read(string path, int width, int height, int channels, ResizeMode mode, Span<float> destination, long maxPixels = ImageLimits.DefaultMaxPixels)
    {
        Guard.NotNullOrEmpty(path);
        Guard.Positive(width);
        Guard.Positive(height);
        Guard.IsTrue(channels is 1 or 3 or 4, channels, "channels must be 1 (luminance), 3 (RGB) or 4 (RGBA).");
        Guard.IsTrue(Enum.IsDefined(mode), mode, "mode must be Stretch, Pad or CropCenter.");
        Guard.Positive(maxPixels);
        Guard.LengthEquals(destination.Length, (long)width * height * channels, "width * height * channels", nameof(destination));

        using var stream = Open(path);
        using var codec = CreateCodec(path, stream);
        var stored = codec.Info.Size;
        if ((long)stored.Width * stored.Height > maxPixels)
            throw new ImageLoadException(path, $"Cannot decode '{path}': its header claims {stored.Width}x{stored.Height} = {(long)stored.Width * stored.Height} pixels, more than the limit of {maxPixels} that guards against decompression bombs; expected an image of at most {maxPixels} pixels (raise maxPixels to allow it).");

        var origin = codec.EncodedOrigin;
        var placement = ResizePlacement.Compute(ImageOrientation.UprightSize(stored, origin), width, height, mode);
        using var source = Decode(path, codec, DecodeSize(codec, origin, placement));
        using var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.RgbaF32, SKAlphaType.Premul));
        Draw(source, origin, placement, target);
        WriteTensor(target, channels, destination);
    }

    /// <summary>The size <paramref name="path"/> has once turned upright, read from the header without decoding pixels.</summary>
    /// <exception cref="ImageLoadException">The file is missing, unreadable or not a decodable image.</exception>
    public static (int Width, int Height) ReadSize(string path)
    {
        Guard.NotNullOrEmpty(path);
        using var stream = Open(path);
        using var codec = CreateCodec(path, stream);
        var upright = ImageOrientation.UprightSize(codec.Info.Size, codec.EncodedOrigin);
        return (upright.Width, upright.Height);
    }

    /// <summary>
    /// Opens the file for reading. Anything of 0 bytes is refused before it is opened: besides empty files, that is what
    /// pipes (FIFOs), sockets and devices report, and opening a pipe would block the run until some other process
    /// writes to it.
    /// </summary>
    private static FileStream Open(string path)
    {
        var entry = new FileInfo(path);
        if (entry.Exists && entry.Length == 0)
            throw Failure(path, "Cannot decode", "the file is empty (0 bytes) or not a regular file (a pipe, socket or device, which is never opened)");
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            var reason = entry.LinkTarget is { } target ? $"it is a symbolic link to '{target}', which does not exist" : "the file does not exist";
            throw Failure(path, "Cannot read", reason, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw Failure(path, "Cannot read", "access is denied (or it is a folder)", e);
        }
        catch (IOException e)
        {
            throw Failure(path, "Cannot read", $"the file cannot be opened ({e.Message})", e);
        }

        if (stream.Length == 0)
        {
            stream.Dispose();
            throw Failure(path, "Cannot decode", "the file is empty (0 bytes)");
        }

        return stream;
    }

    /// <summary>Reads only the header; the codec takes ownership of the stream.</summary>
    private static SKCodec CreateCodec(string path, FileStream stream)
    {
        var codec = SKCodec.Create(stream, out var result);
        if (codec is not null)
            return codec;
        var reason = result == SKCodecResult.IncompleteInput
            ? "the header is truncated"
            : "the content is not a recognised image format";
        throw Failure(path, "Cannot decode", reason);
    }

    /// <summary>
    /// JPEG and WebP decoders can shrink while decoding (JPEG in eighths, in the DCT), which is much faster and lighter
    /// than decoding a 16-megapixel photo in full for a 224-pixel input. Skia rounds a JPEG scale to the nearest eighth,
    /// so the next eighth up is asked for; a size still smaller than it will be drawn falls back to the full size, so
    /// the image is never upsampled. Formats that cannot shrink report their full size.
    /// </summary>
    private static SKSizeI DecodeSize(SKCodec codec, SKEncodedOrigin origin, SKRect placement)
    {
        var stored = codec.Info.Size;
        var upright = ImageOrientation.UprightSize(stored, origin);
        var scale = Math.Max(placement.Width / upright.Width, placement.Height / upright.Height);
        if (scale >= 1f)
            return stored;
        var scaled = codec.GetScaledDimensions(MathF.Min(1f, MathF.Ceiling(scale * 8f) / 8f));
        return scaled.Width >= stored.Width * scale && scaled.Height >= stored.Height * scale ? scaled : stored;
    }

    /// <summary>
    /// Decodes to premultiplied RGBA8888 whatever the stored format (grey, palette, 16-bit, ...): resampling
    /// premultiplied pixels keeps the hidden colour of transparent pixels from bleeding into their neighbours.
    /// No colour space is requested, so Skia does no colour conversion.
    /// </summary>
    private static SKBitmap Decode(string path, SKCodec codec, SKSizeI size)
    {
        var bitmap = new SKBitmap(new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (result == SKCodecResult.Success)
            return bitmap;
        bitmap.Dispose();
        // Skia reports truncation as IncompleteInput and still fills in the missing rows; a partial photo would
        // silently poison features, so anything short of a full decode is an error.
        var reason = result switch
        {
            SKCodecResult.IncompleteInput => "the image data is truncated",
            SKCodecResult.ErrorInInput => "the image data is corrupt",
            _ => $"the decoder failed ({result})",
        };
        throw Failure(path, "Cannot decode", reason);
    }

    /// <summary>Turns the decoded image upright and resamples it into the placement in one draw, so pixels are filtered once.</summary>
    private static void Draw(SKBitmap source, SKEncodedOrigin origin, SKRect placement, SKBitmap target)
    {
        var upright = ImageOrientation.UprightSize(source.Info.Size, origin);
        var fit = SKMatrix.CreateScaleTranslation(
            placement.Width / upright.Width, placement.Height / upright.Height, placement.Left, placement.Top);
        var matrix = fit.PreConcat(ImageOrientation.ToUpright(origin, source.Width, source.Height));

        source.SetImmutable(); // lets SKImage share the pixels instead of copying them
        using var image = SKImage.FromBitmap(source);
        using var canvas = new SKCanvas(target);
        canvas.Clear(SKColors.Transparent);
        canvas.SetMatrix(matrix);
        canvas.DrawImage(image, 0, 0, Sampling);
    }

    private static void WriteTensor(SKBitmap target, int channels, Span<float> destination)
    {
        var pixels = MemoryMarshal.Cast<byte, float>(target.GetPixelSpan());
        var rowFloats = target.RowBytes / sizeof(float);
        var rowLength = target.Width * channels;
        for (var y = 0; y < target.Height; y++)
        {
            TensorRowWriter.Write(
                pixels.Slice(y * rowFloats, target.Width * 4),
                destination.Slice(y * rowLength, rowLength),
                channels);
        }
    }

    private static ImageLoadException Failure(string path, string verb, string reason, Exception? inner = null) =>
        new(path, $"{verb} '{path}': {reason}; {Expected}", inner);
}
