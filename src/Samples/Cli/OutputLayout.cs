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

    /// <summary>Run bookkeeping (lock files), hidden from the image catalog and the report.</summary>
    public const string StateFolderName = ".featuremaps";

    private static readonly string[] ReservedLayerNames = [Path.GetFileNameWithoutExtension(InputFile), Path.GetFileNameWithoutExtension(ContactSheetFile), Path.GetFileNameWithoutExtension(CamFile)];

    public OutputLayout(string root) => Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));

    public string Root { get; }

    public string StateFolder => Path.Combine(Root, StateFolderName);

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
        return safe == name ? name : $"{safe}~{Fnv1a.Hex(Fnv1a.Hash(name))[..8]}";
    }

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
