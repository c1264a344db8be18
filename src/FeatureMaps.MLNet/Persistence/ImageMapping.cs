using System.ComponentModel;
using FeatureMaps.MLNet.Imaging;

namespace FeatureMaps.MLNet.Persistence;

/// <summary>The row function of <c>LoadAndResize</c>, rebuilt from its contract name. Infrastructure; not for direct use.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ImageMapping
{
    /// <summary>
    /// Creates the mapping for <paramref name="contract"/>. A file that cannot be loaded yields black pixels
    /// and a message in the error column instead of an exception, because an exception inside a cursor
    /// would end the whole pass and lose every later image.
    /// </summary>
    public static Action<TSrc, TDst> Create<TSrc, TDst>(string contract)
        where TSrc : IImagePathRow
        where TDst : IImageTensorRow
    {
        var c = ImageMappingContract.Decode(contract, "pipeline");
        return (source, destination) =>
        {
            // ML.NET copies the array into its own buffer, so one array per output row object is reused.
            var pixels = destination.Pixels is { } existing && existing.Length == c.Length ? existing : new float[c.Length];
            try
            {
                var path = source.Path ?? throw new ImageLoadException("", "The image path is missing (null).");
                if (c.ImageFolder is { } folder && !Path.IsPathRooted(path))
                    path = Path.Combine(folder, path);
                ImageTensorReader.Read(path, c.Width, c.Height, c.Channels, c.Mode, pixels, c.MaxPixels);
                destination.Error = "";
            }
            catch (ImageLoadException e)
            {
                Array.Clear(pixels);
                destination.Error = e.Message;
            }
            destination.Pixels = pixels;
        };
    }
}
