using System.Globalization;
using SkiaSharp;

namespace FeatureMaps.Benchmarks;

/// <summary>
/// The benchmark's photos: the shared photos downscaled to at most <c>maxSide</c> pixels (so decoding costs what
/// it would for photos meant for a small CNN), re-encoded in their own format, then copied under distinct names
/// until there are enough. Lives in a temp folder that <see cref="Dispose"/> deletes.
/// </summary>
internal sealed class ImageSet : IDisposable
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp"];
    private readonly Dictionary<int, string> _subsets = [];

    private ImageSet(string root, IReadOnlyList<string> files, IReadOnlyList<string> sources)
    {
        Root = root;
        Files = files;
        Sources = sources;
    }

    /// <summary>The temp folder holding everything the run writes.</summary>
    public string Root { get; }

    /// <summary>The image files, in order; a workload of n images uses the first n.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The downscaled photos the files are copies of.</summary>
    public IReadOnlyList<string> Sources { get; }

    public static ImageSet Create(string sourceFolder, int count, int maxSide, string? root = null)
    {
        var photos = Directory.EnumerateFiles(sourceFolder)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal).ToList();
        if (photos.Count == 0)
            throw new FileNotFoundException($"No photos in '{sourceFolder}'; expected the shared images (jpg/png).");

        root ??= Path.Combine(Path.GetTempPath(), "featuremaps-bench-" + Guid.NewGuid().ToString("N")[..12]);
        var baseDir = Directory.CreateDirectory(Path.Combine(root, "base")).FullName;
        var allDir = Directory.CreateDirectory(Path.Combine(root, "images")).FullName;
        var sources = photos.Select(p => Downscale(p, baseDir, maxSide)).ToList();
        var files = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var source = sources[i % sources.Count];
            var file = Path.Combine(allDir, $"{i.ToString("D5", CultureInfo.InvariantCulture)}-{Path.GetFileName(source)}");
            File.Copy(source, file);
            files.Add(file);
        }
        return new ImageSet(root, files, sources);
    }

    /// <summary>A folder holding exactly the first <paramref name="count"/> images (for the CLI, which takes a folder).</summary>
    public string FolderWith(int count)
    {
        if (_subsets.TryGetValue(count, out var existing)) return existing;
        var dir = Directory.CreateDirectory(Path.Combine(Root, $"first-{count}")).FullName;
        foreach (var file in Files.Take(count))
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        _subsets[count] = dir;
        return dir;
    }

    private static string Downscale(string photo, string folder, int maxSide)
    {
        using var original = SKBitmap.Decode(photo) ?? throw new InvalidDataException($"Cannot decode '{photo}'.");
        var scale = Math.Min(1.0, (double)maxSide / Math.Max(original.Width, original.Height));
        var size = new SKSizeI(Math.Max(1, (int)Math.Round(original.Width * scale)), Math.Max(1, (int)Math.Round(original.Height * scale)));
        using var resized = scale < 1 ? original.Resize(size, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)) : original.Copy();
        var png = Path.GetExtension(photo).Equals(".png", StringComparison.OrdinalIgnoreCase);
        var target = Path.Combine(folder, Path.GetFileNameWithoutExtension(photo) + (png ? ".png" : ".jpg"));
        using var data = resized.Encode(png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, 90);
        using (var stream = File.Create(target))
            data.SaveTo(stream);
        return target;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { /* a child still closing a file; the temp folder is cleaned by the OS eventually */ }
    }
}
