using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Tests.Transforms;

public class ConcurrencyTests
{
    private static readonly string[] Photos =
        ["skimage_chelsea.png", "skimage_coffee.png", "skimage_rocket.jpg", "skimage_astronaut.png", "skimage_camera.png", "tuxpaint_otter_rgba.png"];

    [Fact]
    public void Parallel_cursors_and_threads_give_the_same_belts_as_one_cursor()
    {
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, Photos.Select(TestData.Image).ToArray());
        var model = SeedPipeline.Build(ml).Fit(images);
        var result = model.Transform(images);
        var serial = result.GetColumn<VBuffer<byte>>("Belt.conv2d_1").Select(v => v.DenseValues().ToArray()).ToList();

        // A cursor set splits the rows between cursors that ML.NET may drive from several threads.
        var cursors = result.GetRowCursorSet(result.Schema.Where(c => c.Name is "Belt.conv2d_1" or "ImagePath"), 3);
        var parallel = new System.Collections.Concurrent.ConcurrentDictionary<string, byte[]>();
        Parallel.ForEach(cursors, cursor =>
        {
            using (cursor)
            {
                var belt = cursor.GetGetter<VBuffer<byte>>(result.Schema["Belt.conv2d_1"]);
                var path = cursor.GetGetter<ReadOnlyMemory<char>>(result.Schema["ImagePath"]);
                var (buffer, name) = (default(VBuffer<byte>), default(ReadOnlyMemory<char>));
                while (cursor.MoveNext())
                {
                    belt(ref buffer);
                    path(ref name);
                    parallel[name.ToString()] = buffer.DenseValues().ToArray();
                }
            }
        });

        // The same transformer used from two threads at once, each with its own cursor.
        var concurrent = new List<byte[]>[2];
        Parallel.For(0, 2, i => concurrent[i] = model.Transform(images).GetColumn<VBuffer<byte>>("Belt.conv2d_1").Select(v => v.DenseValues().ToArray()).ToList());

        for (var i = 0; i < Photos.Length; i++)
        {
            Assert.Equal(serial[i], parallel[TestData.Image(Photos[i])]);
            Assert.Equal(serial[i], concurrent[0][i]);
            Assert.Equal(serial[i], concurrent[1][i]);
        }
    }
}
