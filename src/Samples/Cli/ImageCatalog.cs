namespace FeatureMaps.Samples.Cli;

/// <summary>An image file found under the images folder.</summary>
/// <param name="FullPath">Where to read it.</param>
/// <param name="RelativePath">Its path below the images folder with '/' separators: its identity in outputs, shards and reports.</param>
internal sealed record CatalogImage(string FullPath, string RelativePath);

/// <summary>
/// The image files under a folder, listed lazily: one directory's names are read (and sorted, so every run and every
/// shard sees the same order) at a time, never the whole tree, so memory stays flat however many images there are.
/// </summary>
internal sealed class ImageCatalog
{
    /// <summary>What the library's image reader decodes.</summary>
    public static IReadOnlySet<string> Extensions { get; } =
        new HashSet<string>([".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp"], StringComparer.OrdinalIgnoreCase);

    private readonly string _excluded;

    /// <param name="root">The images folder.</param>
    /// <param name="recursive">Also list subfolders.</param>
    /// <param name="excluded">A folder never listed: the output folder, so a run writing inside its own images folder
    /// does not pick up its own PNGs on the next run.</param>
    public ImageCatalog(string root, bool recursive, string excluded)
    {
        Root = Path.GetFullPath(root);
        if (!Directory.Exists(Root))
            throw new DirectoryNotFoundException($"Images folder '{root}' does not exist.");
        Recursive = recursive;
        _excluded = Path.TrimEndingDirectorySeparator(Path.GetFullPath(excluded));
    }

    public string Root { get; }

    public bool Recursive { get; }

    /// <summary>The catalog entry of a path that <see cref="Enumerate"/> gave out (the pipeline hands back full paths).</summary>
    public CatalogImage Resolve(string fullPath) =>
        new(fullPath, Path.GetRelativePath(Root, fullPath).Replace(Path.DirectorySeparatorChar, '/'));

    /// <summary>The images of <paramref name="shard"/>, sorted by path within each folder.</summary>
    public IEnumerable<CatalogImage> Enumerate(Shard shard) => Walk(Root, "").Where(image => shard.Contains(image.RelativePath));

    private IEnumerable<CatalogImage> Walk(string folder, string relativeFolder)
    {
        List<(string Name, string FullName, bool IsFolder, bool IsLink)>? entries;
        try
        {
            // Hidden entries (".git", ".featuremaps", editor backups) are never images worth showing.
            entries = new DirectoryInfo(folder).EnumerateFileSystemInfos()
                .Where(e => !e.Name.StartsWith('.'))
                .OrderBy(e => e.Name, StringComparer.Ordinal)
                .Select(e => (e.Name, e.FullName, IsFolder: e is DirectoryInfo, IsLink: e.LinkTarget is not null))
                .ToList();
        }
        catch (Exception e) when (relativeFolder.Length > 0 && e is UnauthorizedAccessException or IOException)
        {
            // A subfolder that cannot be listed (no permission, deleted during the run) is handed on as an entry of
            // its own: reading it fails, so it is reported with the images instead of silently missing from the run.
            entries = null;
        }
        if (entries is null)
        {
            yield return new CatalogImage(folder, relativeFolder);
            yield break;
        }
        foreach (var entry in entries)
        {
            var relative = relativeFolder.Length == 0 ? entry.Name : relativeFolder + "/" + entry.Name;
            if (!entry.IsFolder)
            {
                if (Extensions.Contains(Path.GetExtension(entry.Name)))
                    yield return new CatalogImage(entry.FullName, relative);
            }
            // Linked folders are not followed: a link back up the tree would list forever.
            else if (Recursive && !entry.IsLink && !string.Equals(entry.FullName, _excluded, StringComparison.Ordinal))
            {
                foreach (var image in Walk(entry.FullName, relative))
                    yield return image;
            }
        }
    }
}
