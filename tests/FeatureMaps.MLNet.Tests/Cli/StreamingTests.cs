using FeatureMaps.Samples.Cli;
using Microsoft.ML;

namespace FeatureMaps.MLNet.Tests.Cli;

public sealed class StreamingTests
{
    [Fact]
    public void The_run_pulls_one_image_at_a_time_from_the_lazy_listing()
    {
        // ML.NET's own cursor over a transformed view would read ahead in batches of 64 rows on worker threads,
        // holding their feature maps in memory; memory stays flat only if each image is pulled when it is needed.
        var ml = new MLContext();
        var pipeline = FeatureMapPipeline.Create(ml, new RunOptions { ModelPath = TestData.SeedModel, ImagesPath = TestData.Shared, OutPath = "unused" });
        var catalog = new ImageCatalog(Path.Combine(TestData.Shared, "images"), recursive: false, excluded: "unused");
        var pulled = 0;
        IEnumerable<string> Images()
        {
            for (var i = 0; i < 1000; i++)
            {
                pulled++;
                yield return TestData.Chelsea;
            }
        }

        using var cursor = new FeatureMapCursor(pipeline.Input(ml, Images()), pipeline, catalog);
        for (var read = 1; read <= 3; read++)
        {
            var row = cursor.Next()!;
            using (row.Job)
            {
                Assert.Null(row.Error);
                Assert.Equal("skimage_chelsea.png", row.Image.RelativePath);
                Assert.Equal(6, row.Job!.Layers.Count);
            }
            Assert.InRange(pulled, read, read + 1);
        }
    }
}
