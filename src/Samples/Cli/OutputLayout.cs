using System.Text;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// Where a run's files go under <c>--out</c>. Each image gets its own folder that mirrors its path below the images
/// folder (<c>photos/cat.jpg</c> -> <c>out/photos/cat.jpg/</c>), holding one PNG per layer, the model input, the
/// contact sheet and, written last, <c>done.json</c>. Every name taken from input is made safe segment by segment, so
/// nothing lands outside <c>--out</c>.
/// </summary>
internal sealed class OutputLayout
{
    public const string DoneFile = "done.json";
    public const string InputFile = "input.png";
    public const string ContactSheetFile = "contact-sheet.png";
    public const string CamFile = "class-activation-map.png";
    public const string IndexFile = "index.html";
    public const string SummaryFile = "summary.json";
    public const string ChannelActivityFile = "channels.json";

    /// <summary>The per-layer pages of the report (channel statistics across the folder), beside <c>index.html</c>.</summary>
    public const string LayersFolder = "layers";

    /// <summary>Run bookkeeping (lock files), hidden from the image catalog and the report.</summary>
    public const string StateFolderName = ".featuremaps";

    private static readonly string[] ReservedLayerNames = [Path.GetFileNameWithoutExtension(InputFile), Path.GetFileNameWithoutExtension(ContactSheetFile), Path.GetFileNameWithoutExtension(CamFile)];

    public OutputLayout(string root) => Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));

    public string Root { get; }

    public string StateFolder => Path.Combine(Root, StateFolderName);

    /// <summary>
    /// Creates the output folder (and its bookkeeping folder) and proves a file can be created in it, before any work
    /// is done: a folder can exist and still refuse files (a read-only mount, permissions, a path through a file).
    /// </summary>
    /// <exception cref="IOException">The folder cannot be created or written; the message names it.</exception>
    public void CreateWritable()
    {
        try
        {
            Directory.CreateDirectory(StateFolder);
            using (new FileStream(Path.Combine(StateFolder, $"probe-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e switch
            {
                UnauthorizedAccessException => "access is denied",
                DirectoryNotFoundException => "a part of the path does not exist or cannot hold folders",
                _ => e.Message,
            };
            throw new IOException($"Cannot write into the output folder '{Root}': {reason}; expected a folder (or a place to create one) that this user can write files in. Choose another --out.", e);
        }
    }

    /// <summary><c>summary.json</c> for a whole run, <c>summary.shard-i-of-n.json</c> for one shard.</summary>
    public static string SummaryFileOf(Shard shard) => shard.IsPartial ? $"summary.{shard.FileTag}.json" : SummaryFile;

    /// <summary>The image's output folder relative to <see cref="Root"/>, '/' separated.</summary>
    public static string ImageFolder(string relativePath) =>
        string.Join('/', Shard.Normalize(relativePath).Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Segment));

    /// <summary>The PNG (or, with <paramref name="extension"/> ".pgm", raw belt) file name of a layer.</summary>
    public static string LayerFile(string layer, string extension = ".png")
    {
        var name = Segment(layer);
        // A layer called "input" must not overwrite the model input picture.
        if (ReservedLayerNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            name += "~layer";
        return name + extension;
    }

    /// <summary>
    /// A name as one safe file-name segment. A name that had to be changed gets a hash of the original appended, so two
    /// names that sanitize alike (<c>a?.png</c>, <c>a*.png</c>) still get different folders.
    /// </summary>
    public static string Segment(string name)
    {
        var safe = FileNames.Safe(name);
        if (safe == name && Encoding.UTF8.GetByteCount(name) <= MaxSegmentBytes)
            return name;
        // Long names (tf2onnx joins scopes into 200+ character tensor names) are cut, and the hash keeps them apart.
        while (Encoding.UTF8.GetByteCount(safe) > MaxSegmentBytes || (safe.Length > 0 && char.IsHighSurrogate(safe[^1])))
            safe = safe[..^1];
        return $"{safe}~{Fnv1a.Hex(Fnv1a.Hash(name))[..8]}";
    }

    /// <summary>The report page of a layer, relative to <see cref="Root"/>, '/' separated.</summary>
    public static string LayerPage(string layer) => LayersFolder + "/" + Segment(layer) + ".html";

    /// <summary>
    /// File systems allow 255 bytes per name; a segment also gets an extension and, while it is written, a 37-character
    /// temporary suffix, so names are cut well below.
    /// </summary>
    public const int MaxSegmentBytes = 150;

    /// <summary>The absolute path of a '/'-separated path relative to <see cref="Root"/>; refuses anything that would leave it.</summary>
    public string FullPath(string relative)
    {
        var full = Path.GetFullPath(Path.Combine([Root, .. relative.Split('/')]));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidDataException($"Output path '{relative}' would leave the output folder '{Root}'.");
        return full;
    }

    /// <summary>The completion marker of the image at <paramref name="relativePath"/>.</summary>
    public string DoneFileOf(string relativePath) => FullPath(Combine(ImageFolder(relativePath), DoneFile));

    /// <summary>'/'-joined relative path of a file in an image folder, as links in the report use it.</summary>
    public static string Combine(string folder, string file) => folder + "/" + file;
}
