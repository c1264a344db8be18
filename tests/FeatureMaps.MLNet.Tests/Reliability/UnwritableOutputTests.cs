using FeatureMaps.MLNet.Tests.Cli;

namespace FeatureMaps.MLNet.Tests.Reliability;

/// <summary>
/// An output folder that cannot be written is refused before any image is read, in one line naming the folder and what
/// was expected. The cases hold for root too (CI runs as root in containers, where permissions stop nothing): a path
/// through a file, an existing file, and /proc, which the kernel keeps free of new files for every user.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class UnwritableOutputTests
{
    [Theory]
    [InlineData("below a file")]
    [InlineData("an existing file")]
    [InlineData("/proc")]
    public void An_output_folder_that_cannot_be_written_is_refused_naming_it(string kind)
    {
        using var temp = new TempFolder();
        var images = OutputFolder.CopyPhotos(temp.File("images"), 1);
        File.WriteAllText(temp.File("file.txt"), "a file, not a folder");
        var output = kind switch
        {
            "below a file" => Path.Combine(temp.File("file.txt"), "out"),
            "an existing file" => temp.File("file.txt"),
            _ => "/proc",
        };

        var result = CliProcess.Run("run", "--model", TestData.SeedModel, "--images", images, "--out", output);

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.StdErr.Trim().Split('\n'));
        Assert.StartsWith($"error: Cannot write into the output folder '{output}': ", line);
        Assert.Contains("expected a folder (or a place to create one) that this user can write files in", line);
        Assert.Equal("a file, not a folder", File.ReadAllText(temp.File("file.txt")));
        Assert.Equal(["file.txt", "images"], Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName).Order());
    }
}
