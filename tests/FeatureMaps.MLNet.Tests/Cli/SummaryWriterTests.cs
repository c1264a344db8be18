using FeatureMaps.Samples.Cli;

namespace FeatureMaps.MLNet.Tests.Cli;

public sealed class SummaryWriterTests
{
    [Fact]
    public void The_run_totals_are_read_back_from_the_start_of_a_large_summary()
    {
        using var temp = new TempFolder();
        var path = temp.File("summary.shard-1-of-2.json");
        var run = new RunTotals
        {
            Shard = "1/2", Source = "seed-cnn.onnx", Images = 5000, Ok = 4999, Failed = 1, Processed = 5000, Resumed = 0,
            StartedUtc = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), FinishedUtc = new DateTimeOffset(2025, 1, 2, 3, 9, 5, TimeSpan.Zero),
        };
        var records = Enumerable.Range(0, 5000).Select(i => new ImageRecord
        {
            Path = $"image-{i}.jpg", Folder = $"image-{i}.jpg", Status = ImageStatus.Ok, Settings = "s", Timings = new ImageTimings(1, 2),
        });

        ReportFiles.Write(run, records, path, htmlPath: null);

        Assert.True(new FileInfo(path).Length > 1 << 17, "The summary should be larger than the first read.");
        var read = SummaryWriter.ReadRun(path);
        Assert.Equal(run with { }, read);
        Assert.Equal(300, read!.WallSeconds);
    }
}
