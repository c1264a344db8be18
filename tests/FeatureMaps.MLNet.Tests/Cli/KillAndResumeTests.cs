namespace FeatureMaps.MLNet.Tests.Cli;

[Collection(TwentyImagesCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class KillAndResumeTests(TwentyImagesFixture images)
{
    [Fact]
    public void A_run_killed_midway_and_resumed_ends_as_an_uninterrupted_run()
    {
        var output = images.NewFolder("killed");
        using (var process = CliProcess.Start(null, images.RunArguments(output)))
        {
            // Drain the pipes so the child never blocks on a full one.
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (DoneMarkers(output) < 5)
            {
                Assert.False(process.HasExited, "The run ended before it could be killed.");
                Assert.True(DateTime.UtcNow < deadline, "The run did not finish five images in two minutes.");
                Thread.Sleep(20);
            }
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        var finishedBeforeKill = DoneMarkers(output);
        Assert.InRange(finishedBeforeKill, 5, 19);
        // Whatever the kill interrupted: every finished file is whole (only temporary files can be partial).
        foreach (var png in Directory.EnumerateFiles(output, "*.png", SearchOption.AllDirectories))
            OutputFolder.DecodePng(png).Dispose();
        foreach (var done in Directory.EnumerateFiles(output, "done.json", SearchOption.AllDirectories))
            Assert.Equal("ok", OutputFolder.Json(done)["status"]!.GetValue<string>());
        Assert.False(File.Exists(Path.Combine(output, "summary.json")));

        var refused = CliProcess.Run(images.RunArguments(output));
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("--resume", refused.StdErr);

        var resumed = CliProcess.Run(images.RunArguments(output, "--resume"));

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains($"({20 - finishedBeforeKill} processed, {finishedBeforeKill} resumed)", resumed.StdOut);
        Assert.Empty(OutputFolder.Temporaries(output));
        OutputComparison.AssertSameResults(images.Reference, output);
    }

    [Fact]
    public void Ten_kills_at_random_moments_then_resume_end_as_an_uninterrupted_run()
    {
        var output = images.NewFolder("killed-ten-times");
        var random = new Random(20261125);
        var (killed, finished) = (0, false);
        for (var run = 0; killed < 10 && !finished && run < 30; run++)
        {
            // Random moments from start-up (fitting, no file yet) to the middle of rendering and writing.
            var delay = TimeSpan.FromMilliseconds(random.Next(500, 5500));
            using var process = CliProcess.Start(null, run == 0 ? images.RunArguments(output) : images.RunArguments(output, "--resume"));
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(delay))
            {
                process.Kill(entireProcessTree: true);
                killed++;
            }
            process.WaitForExit();
            finished = DoneMarkers(output) == 20; // a fast machine may finish the folder between kills
            foreach (var png in Directory.Exists(output) ? Directory.EnumerateFiles(output, "*.png", SearchOption.AllDirectories) : [])
                OutputFolder.DecodePng(png).Dispose(); // finished files are whole whenever the kill came
        }

        Assert.True(killed >= 5, $"only {killed} runs could be killed before the folder was done");

        var resumed = CliProcess.Run(images.RunArguments(output, "--resume"));

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Empty(OutputFolder.Temporaries(output));
        OutputComparison.AssertSameResults(images.Reference, output);
    }

    private static int DoneMarkers(string output) =>
        Directory.Exists(output) ? Directory.EnumerateFiles(output, "done.json", SearchOption.AllDirectories).Count() : 0;
}
