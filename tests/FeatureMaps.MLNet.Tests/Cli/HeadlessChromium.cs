using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FeatureMaps.MLNet.Tests.Cli;

/// <summary>
/// Opens a report in Debian's headless Chromium. There is no skip when the browser is missing: CI installs it
/// (<c>.ci/run</c>), so a missing browser is a broken test machine, reported as a failure.
/// </summary>
internal static partial class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";
    private const string Marker = "HARNESS ";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Checks the page the way a reader sees it. A copy of the page (the product is left as it is) gets a script that
    /// waits until every image has finished loading, then writes into the title what it found; the Content-Security-Policy
    /// of the copy additionally allows that one inline script, and nothing else changes.
    /// </summary>
    public static PageCheck Check(string indexHtml)
    {
        var html = File.ReadAllText(indexHtml);
        Assert.Contains("default-src 'none';", html);
        var harness = html
            .Replace("default-src 'none';", "default-src 'none'; script-src 'unsafe-inline';", StringComparison.Ordinal)
            .Replace("</body>", HarnessScript + "</body>", StringComparison.Ordinal);
        var copy = Path.Combine(Path.GetDirectoryName(indexHtml)!, "harness-" + Guid.NewGuid().ToString("N") + ".html");
        File.WriteAllText(copy, harness);
        try
        {
            var (dom, _) = RunChromium("--virtual-time-budget=20000", "--dump-dom", new Uri(copy).AbsoluteUri);
            var title = TitlePattern().Match(dom);
            Assert.True(title.Success, "The harness never wrote its result into the title; the dumped DOM starts:\n" + dom[..Math.Min(dom.Length, 2000)]);
            var result = JsonNode.Parse(WebUtility.HtmlDecode(title.Groups[1].Value))!;
            return new PageCheck(
                result["images"]!.GetValue<int>(),
                result["broken"]!.AsArray().Select(n => n!.GetValue<string>()).ToList(),
                result["errors"]!.AsArray().Select(n => n!.GetValue<string>()).ToList(),
                result["scripts"]!.GetValue<int>(),
                result["handlers"]!.GetValue<int>());
        }
        finally
        {
            File.Delete(copy);
        }
    }

    /// <summary>The console messages Chromium logs while loading the unmodified page (CSP violations, script errors).</summary>
    public static IReadOnlyList<string> ConsoleMessages(string indexHtml)
    {
        var (_, log) = RunChromium("--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom", new Uri(indexHtml).AbsoluteUri);
        return log.Split('\n').Where(line => line.Contains(":CONSOLE", StringComparison.Ordinal)).ToList();
    }

    /// <summary>Takes a 1280 x 900 screenshot of the page.</summary>
    public static void Screenshot(string indexHtml, string png) =>
        RunChromium("--window-size=1280,900", "--hide-scrollbars", "--virtual-time-budget=5000", $"--screenshot={png}", new Uri(indexHtml).AbsoluteUri);

    private static (string StdOut, string StdErr) RunChromium(params string[] args)
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: the report's browser tests need Debian's chromium (.ci/run installs it; locally: apt-get install -y chromium).");
        using var profile = new TempFolder();
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile.Path, .. args])
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium {string.Join(' ', args)} ran longer than {Timeout}.");
        }
        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}:\n{stderr.Result}");
        return (stdout.Result, stderr.Result);
    }

    /// <summary>
    /// Forces lazy images to load, polls until all are complete, then reports: how many images, which did not decode,
    /// errors seen, scripts in the page other than this one, and inline event-handler attributes (which an unescaped
    /// file name such as <c>&lt;img src=x onerror=...&gt;</c> would create).
    /// </summary>
    private const string HarnessScript = """
        <script>
        (function () {
          var errors = [];
          window.addEventListener('error', function (e) { errors.push(e.message || ('load error: ' + (e.target && (e.target.src || e.target.href)))); }, true);
          var images = Array.prototype.slice.call(document.images);
          images.forEach(function (img) { img.loading = 'eager'; });
          function check() {
            if (!images.every(function (img) { return img.complete; })) { setTimeout(check, 50); return; }
            var broken = images.filter(function (img) { return img.naturalWidth === 0; }).map(function (img) { return img.getAttribute('src'); });
            var handlers = document.querySelectorAll('[onerror],[onload],[onclick],[onmouseover]').length;
            document.title = 'HARNESS ' + JSON.stringify({ images: images.length, broken: broken, errors: errors, scripts: document.scripts.length - 1, handlers: handlers });
          }
          check();
        })();
        </script>

        """;

    [GeneratedRegex("<title>" + Marker + "(.*?)</title>", RegexOptions.Singleline)]
    private static partial Regex TitlePattern();
}

/// <summary>What the harness found in the page.</summary>
internal sealed record PageCheck(int Images, IReadOnlyList<string> Broken, IReadOnlyList<string> Errors, int Scripts, int Handlers);
