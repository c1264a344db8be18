using FeatureMaps.MLNet.Tests.Cli;
using FeatureMaps.MLNet.Tests.Imaging;
using SkiaSharp;
using Xunit.Abstractions;

namespace FeatureMaps.MLNet.Tests.Reliability;

/// <summary>
/// One real run over a folder holding every image case of issue 7 side by side with good photos: each bad entry is
/// reported by name, each good one kept, nothing crashes or hangs. The test output is the table of cases tried,
/// results kept and crashes.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class HostileFolderTests(ITestOutputHelper output)
{
    private enum Expected { Kept, Reported, KeptOrReported, NotListed }

    /// <param name="Name">The case, as issue 7 words it.</param>
    /// <param name="Path">The entry below the images folder.</param>
    /// <param name="Expected">What the run must do with it.</param>
    /// <param name="Reason">A part of the error a reported entry must give.</param>
    /// <param name="Make">Creates the entry at the given full path.</param>
    private sealed record Case(string Name, string Path, Expected Expected, string Reason, Action<string> Make);

    private static readonly Case[] Cases =
    [
        new("good photo", "chelsea.png", Expected.Kept, "", Copy("skimage_chelsea.png")),
        new("zero-byte file", "empty.jpg", Expected.Reported, "the file is empty (0 bytes)", path => File.WriteAllBytes(path, [])),
        new("truncated JPEG", "truncated.jpg", Expected.Reported, "truncated", path => File.WriteAllBytes(path, Half("skimage_rocket.jpg"))),
        new("truncated PNG", "truncated.png", Expected.Reported, "truncated", path => File.WriteAllBytes(path, Half("skimage_astronaut.png"))),
        new("random bytes named .jpg", "random.jpg", Expected.Reported, "not a recognised image format", path => File.WriteAllBytes(path, RandomBytes(4096))),
        new("text file named .png", "notes.png", Expected.Reported, "not a recognised image format", path => File.WriteAllText(path, "Not a picture.\n")),
        new("PNG with a bad CRC", "bad-crc.png", Expected.KeptOrReported, "", path => File.WriteAllBytes(path, ReliabilityData.WithBadIdatCrc(File.ReadAllBytes(ReliabilityData.CmykSource)))),
        new("CMYK JPEG", "cmyk.jpg", Expected.Kept, "", path => File.Copy(ReliabilityData.CmykJpeg, path)),
        new("16-bit PNG", "rgb16.png", Expected.Kept, "", path => File.WriteAllBytes(path, Png.Rgb16(16, 16, (x, y) => ((byte)(x * 16), (byte)(y * 16), 128)))),
        new("palette PNG", "palette.png", Expected.Kept, "", path => File.WriteAllBytes(path, Png.Palette(2, 2, [255, 0, 0, 0, 0, 255], [0, 1, 1, 0]))),
        new("gray PNG", "gray.png", Expected.Kept, "", Copy("skimage_camera.png")),
        new("RGBA PNG", "rgba.png", Expected.Kept, "", Copy("tuxpaint_otter_rgba.png")),
        new("EXIF-rotated JPEG", "exif-rotated.jpg", Expected.Kept, "", path => File.WriteAllBytes(path, SyntheticImages.WithExifOrientation(Jpeg(32, 16), 6))),
        new("1x1 image", "one-pixel.png", Expected.Kept, "", path => File.WriteAllBytes(path, SyntheticImages.Png(1, 1, (_, _) => SKColors.Orange))),
        new("30000x30000 PNG of a few bytes (decompression bomb)", "bomb.png", Expected.Reported, "30000x30000 = 900000000 pixels", path => File.WriteAllBytes(path, Png.HeaderOnly(30_000, 30_000))),
        new("animated GIF", "animated.gif", Expected.Kept, "", path => File.Copy(ReliabilityData.AnimatedGif, path)),
        new("name with spaces", "a name with spaces.jpg", Expected.Kept, "", Copy("skimage_rocket.jpg")),
        new("unicode name", "café ü 猫.png", Expected.Kept, "", Copy("skimage_coffee.png")),
        new("quotes in the name", "\"quoted\" 'name'.png", Expected.Kept, "", Copy("skimage_coffee.png")),
        new("<script> in the name", "<script>alert(1)<script>.png", Expected.Kept, "", Copy("skimage_chelsea.png")),
        new("named pipe (FIFO) called .jpg", "pipe.jpg", Expected.Reported, "not a regular file (a pipe", ReliabilityData.MakeFifo),
        new("dangling symbolic link", "dangling.jpg", Expected.Reported, "it is a symbolic link to 'gone.jpg', which does not exist", path => File.CreateSymbolicLink(path, "gone.jpg")),
        new("symbolic link to itself (loop)", "self-loop.jpg", Expected.Reported, "the file cannot be opened", path => File.CreateSymbolicLink(path, path)),
        new("symbolic link to a good photo", "link-to-photo.jpg", Expected.Kept, "", path => File.CreateSymbolicLink(path, TestData.Image("skimage_rocket.jpg"))),
        new("folder link to its parent (loop) with --recursive", "loop", Expected.NotListed, "", path => Directory.CreateSymbolicLink(path, "..")),
        new("folder named .jpg with --recursive", "folder.jpg/inside.png", Expected.Kept, "", path =>
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.Copy(TestData.Image("skimage_astronaut.png"), path);
        }),
        new("file without read permission", "unreadable.png", Expected.KeptOrReported, "access is denied", path =>
        {
            File.Copy(TestData.Image("skimage_coffee.png"), path);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, UnixFileMode.None); // stops every user but root
        }),
    ];

    [Fact]
    public void Every_bad_entry_is_reported_by_name_and_every_good_one_kept()
    {
        using var temp = new TempFolder();
        var images = Directory.CreateDirectory(temp.File("images")).FullName;
        foreach (var c in Cases)
            c.Make(Path.Combine(images, c.Path));
        var outputFolder = temp.File("out");

        var result = CliProcess.Run("run", "--model", TestData.SeedModel, "--images", images, "--out", outputFolder, "--recursive", "--layers", "conv2d");

        // Exit code 2 is "finished, some images failed"; a crash would be 1 or a signal, with no summary.
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.DoesNotContain("Unhandled exception", result.StdErr);
        var records = OutputFolder.Json(Path.Combine(outputFolder, "summary.json"))["images"]!.AsArray()
            .ToDictionary(r => r!["path"]!.GetValue<string>(), r => (Status: r!["status"]!.GetValue<string>(), Error: r["error"]?.GetValue<string>()));
        var rows = new List<string>();
        foreach (var c in Cases)
        {
            var listed = records.TryGetValue(c.Path, out var record);
            var outcome = !listed ? "not listed" : record.Status == "ok" ? "kept" : "reported";
            rows.Add($"| {c.Name} | `{c.Path}` | {Describe(c.Expected)} | {outcome} | {Shorten(record.Error)} |");
            switch (c.Expected)
            {
                case Expected.NotListed:
                    Assert.DoesNotContain(records.Keys, path => path.StartsWith(c.Path + "/", StringComparison.Ordinal));
                    break;
                case Expected.Kept:
                    Assert.True(record.Status == "ok", $"{c.Name}: {outcome} {record.Error}");
                    break;
                default:
                    Assert.True(listed, $"{c.Name}: not listed");
                    if (c.Expected == Expected.Reported || record.Status != "ok")
                    {
                        Assert.True(record.Status == "failed", $"{c.Name}: {outcome}");
                        Assert.Contains($"'{Path.Combine(images, c.Path)}'", record.Error);
                        Assert.Contains(c.Reason, record.Error);
                        Assert.Contains("expected", record.Error);
                        Assert.Contains($"error: {c.Path}: ", result.StdErr);
                    }
                    break;
            }
        }
        // Nothing half-written: no temporary files, every picture decodes.
        Assert.Empty(OutputFolder.Temporaries(outputFolder));
        foreach (var png in Directory.EnumerateFiles(outputFolder, "*.png", SearchOption.AllDirectories))
            OutputFolder.DecodePng(png).Dispose();

        var kept = records.Values.Count(r => r.Status == "ok");
        output.WriteLine("| Case | Entry | Expected | Outcome | Error (shortened) |");
        output.WriteLine("|---|---|---|---|---|");
        rows.ForEach(output.WriteLine);
        output.WriteLine($"{Cases.Length} cases tried in one run: {kept} results kept, {records.Count - kept} reported, 0 crashes (exit code {result.ExitCode}).");
    }

    private static Action<string> Copy(string photo) => path => File.Copy(TestData.Image(photo), path);

    private static byte[] Half(string photo)
    {
        var bytes = File.ReadAllBytes(TestData.Image(photo));
        return bytes[..(bytes.Length / 2)];
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Jpeg(int width, int height)
    {
        using var bitmap = SyntheticImages.Bitmap(width, height, (x, _) => x < width / 2 ? SKColors.Red : SKColors.Blue);
        return SyntheticImages.Encode(bitmap, SKEncodedImageFormat.Jpeg);
    }

    private static string Describe(Expected expected) => expected switch
    {
        Expected.Kept => "kept",
        Expected.Reported => "reported",
        Expected.KeptOrReported => "kept or reported",
        _ => "not followed",
    };

    private static string Shorten(string? error)
    {
        if (error is null)
            return "";
        var reason = error[(error.IndexOf("': ", StringComparison.Ordinal) + 3)..];
        return reason.Split("; expected", 2)[0];
    }
}
