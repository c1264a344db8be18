using System.Diagnostics;
using Microsoft.ML;
using FeatureMaps.MLNet.Tests.Transforms;
using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace FeatureMaps.MLNet.Tests.Reliability;

/// <summary>
/// Mutated real photos (bit flips, truncation, chunk shuffles) through <c>LoadAndResize</c> for a fixed
/// time budget: nothing crashes or hangs, and every file is either processed or reported in <c>ImageError</c>.
/// Set FEATUREMAPS_FUZZ_SECONDS for a longer run.
/// </summary>
[Trait("Category", "Reliability")]
public class ImageFuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PerImageLimit = TimeSpan.FromSeconds(10);

    [Fact]
    public void Mutated_photos_are_each_processed_or_reported()
    {
        var budget = TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("FEATUREMAPS_FUZZ_SECONDS"), out var s) ? s : 45);
        using var temp = new TempFolder();
        var sources = new[] { "skimage_chelsea.png", "skimage_rocket.jpg", "skimage_camera.png", "tuxpaint_otter_rgba.png", "skimage_coffee.png" }
            .Select(f => File.ReadAllBytes(TestData.Image(f))).ToArray();
        var random = new Random(20261125);
        var ml = new MLContext();
        var pipeline = ml.Transforms.LoadAndResize("Image", "ImagePath", 32, 32);
        var clock = Stopwatch.StartNew();
        var (tried, processed, reported) = (0, 0, 0);
        while (clock.Elapsed < budget)
        {
            // Batches of mutants through one cursor, as a folder run would see them.
            var batch = Enumerable.Range(0, 8).Select(i =>
            {
                var path = temp.File($"mutant-{tried + i}{(random.Next(2) == 0 ? ".png" : ".jpg")}");
                File.WriteAllBytes(path, Mutate(sources[random.Next(sources.Length)], random));
                return new SeedPipeline.ImageRow { ImagePath = path };
            }).ToList();
            var data = ml.Data.LoadFromEnumerable(batch);
            var result = pipeline.Fit(data).Transform(data);
            using var cursor = result.GetRowCursor(result.Schema);
            var pixels = cursor.GetGetter<VBuffer<float>>(result.Schema["Image"]);
            var error = cursor.GetGetter<ReadOnlyMemory<char>>(result.Schema["ImageError"]);
            var buffer = default(VBuffer<float>);
            var message = default(ReadOnlyMemory<char>);
            var row = Stopwatch.StartNew();
            while (cursor.MoveNext())
            {
                row.Restart();
                error(ref message);
                pixels(ref buffer);
                Assert.True(row.Elapsed < PerImageLimit, $"{batch[(int)cursor.Position].ImagePath} took {row.Elapsed}");
                Assert.Equal(32 * 32 * 3, buffer.Length);
                if (message.Length > 0)
                {
                    reported++;
                    Assert.Contains(Path.GetFileName(batch[(int)cursor.Position].ImagePath), message.ToString());
                    Assert.All(buffer.DenseValues(), v => Assert.Equal(0f, v));
                }
                else
                {
                    processed++;
                    Assert.All(buffer.DenseValues(), v => Assert.InRange(v, 0f, 255f));
                }
            }
            foreach (var file in batch) File.Delete(file.ImagePath);
            tried += batch.Count;
        }
        output.WriteLine($"fuzz: {tried} mutants in {clock.Elapsed.TotalSeconds:F0} s: {processed} processed, {reported} reported, 0 crashes");
        Assert.Equal(tried, processed + reported);
        Assert.True(tried >= 40, $"only {tried} mutants in {budget}");
        Assert.True(reported > 0 && processed > 0, $"processed {processed}, reported {reported}: the mutations should produce both");
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0: // bit flips
                for (var i = random.Next(1, 20); i > 0; i--)
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1: // truncation
                return bytes[..random.Next(1, bytes.Length)];
            case 2: // two chunks swapped
            {
                var size = random.Next(16, Math.Max(17, bytes.Length / 8));
                var a = random.Next(bytes.Length - size);
                var b = random.Next(bytes.Length - size);
                var chunk = bytes.AsSpan(a, size).ToArray();
                bytes.AsSpan(b, size).CopyTo(bytes.AsSpan(a, size));
                chunk.CopyTo(bytes.AsSpan(b, size));
                return bytes;
            }
            default: // header kept, body replaced by noise
                random.NextBytes(bytes.AsSpan(Math.Min(64, bytes.Length)));
                return bytes;
        }
    }
}
