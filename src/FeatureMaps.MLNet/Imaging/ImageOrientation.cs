using SkiaSharp;

namespace FeatureMaps.MLNet.Imaging;

/// <summary>
/// Turns an EXIF orientation into the transform that shows the stored pixels upright. Cameras store the sensor
/// image as shot and only record how it should be turned, so ignoring this gives sideways photos.
/// </summary>
internal static class ImageOrientation
{
    /// <summary>The size of the image once turned upright: the origins that rotate by 90° swap width and height.</summary>
    public static SKSizeI UprightSize(SKSizeI stored, SKEncodedOrigin origin) =>
        SwapsAxes(origin) ? new SKSizeI(stored.Height, stored.Width) : stored;

    /// <summary>
    /// Maps stored pixel coordinates (a <paramref name="width"/> × <paramref name="height"/> image) to upright ones.
    /// The EXIF value names the visual side where stored row 0 and column 0 end up: RightTop (6) puts row 0 on
    /// the right and column 0 at the top, which is a 90° clockwise turn.
    /// </summary>
    public static SKMatrix ToUpright(SKEncodedOrigin origin, float width, float height) => origin switch
    {
        // Arguments: scaleX, skewX, transX, skewY, scaleY, transY, then the perspective row; X = scaleX·x + skewX·y + transX.
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, width, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, width, 0, -1, height, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, height, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, height, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, height, -1, 0, width, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, width, 0, 0, 1),
        _ => SKMatrix.Identity,
    };

    private static bool SwapsAxes(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
}
