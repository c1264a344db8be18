using FeatureMaps.Samples.Cli;

namespace FeatureMaps.MLNet.Tests.Cli;

public sealed class ImageCatalogTests
{
    [Fact]
    public void Images_are_listed_in_sorted_order_with_relative_paths_skipping_other_files_hidden_entries_and_the_output_folder()
    {
        using var temp = new TempFolder();
        foreach (var file in new[] { "b.JPG", "a.png", "notes.txt", ".hidden.png", "sub/c.webp", "sub/deeper/d.gif", ".git/e.png", "out/old.png" })
        {
            var path = temp.File(file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, []);
        }

        var flat = new ImageCatalog(temp.Path, recursive: false, excluded: temp.File("out")).Enumerate(Shard.All).ToList();
        var tree = new ImageCatalog(temp.Path, recursive: true, excluded: temp.File("out")).Enumerate(Shard.All).ToList();

        Assert.Equal(["a.png", "b.JPG"], flat.Select(i => i.RelativePath));
        Assert.Equal(["a.png", "b.JPG", "sub/c.webp", "sub/deeper/d.gif"], tree.Select(i => i.RelativePath));
        Assert.All(tree, i => Assert.Equal(i, new ImageCatalog(temp.Path, true, temp.File("out")).Resolve(i.FullPath)));
    }

    [Fact]
    public void A_missing_folder_is_a_clear_error()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => new ImageCatalog("/no/such/folder", false, "/tmp/out"));
        Assert.Contains("/no/such/folder", error.Message);
    }
}
