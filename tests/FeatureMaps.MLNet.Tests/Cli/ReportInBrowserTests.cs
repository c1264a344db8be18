using SkiaSharp;

namespace FeatureMaps.MLNet.Tests.Cli;

/// <summary>The default run's index.html as headless Chromium shows it, opened from file://.</summary>
[Collection(DefaultRunCollection.Name)]
public sealed class ReportInBrowserTests(DefaultRunFixture run)
{
    [Fact]
    public void Every_picture_of_the_report_loads_without_errors()
    {
        var page = HeadlessChromium.Check(run.Index);

        Assert.Equal(5 * (1 + 1 + 6), page.Images); // per photo: the model input, its CAM overlay and six layers
        Assert.Empty(page.Broken);
        Assert.Empty(page.Errors);
        Assert.Equal(0, page.Scripts);
    }

    [Fact]
    public void The_unmodified_report_logs_nothing_to_the_console()
    {
        // A Content-Security-Policy violation or a script error would be logged here.
        Assert.Empty(HeadlessChromium.ConsoleMessages(run.Index));
    }

    [Fact]
    public void A_screenshot_of_the_report_is_not_blank()
    {
        using var temp = new TempFolder();
        var shot = temp.File("report.png");

        HeadlessChromium.Screenshot(run.Index, shot);

        using var bitmap = OutputFolder.DecodePng(shot);
        Assert.Equal((1280, 900), (bitmap.Width, bitmap.Height));
        var luminances = bitmap.Pixels.Select(p => 0.299 * p.Red + 0.587 * p.Green + 0.114 * p.Blue).ToArray();
        var mean = luminances.Average();
        var variance = luminances.Average(l => (l - mean) * (l - mean));
        Assert.True(variance > 100, $"The screenshot is nearly uniform (luminance variance {variance:0.0}).");
        // The belts are drawn in viridis: some clearly coloured (not grey) pixels must be on screen.
        Assert.Contains(bitmap.Pixels, p => Math.Abs(p.Green - p.Red) > 60);
    }
}
