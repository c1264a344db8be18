using FeatureMaps.MLNet.Execution;
using FeatureMaps.MLNet.Onnx;
using FeatureMaps.MLNet.Transforms;
using FeatureMaps.MLNet.Persistence;
using FeatureMaps.MLNet.Tests.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;
using Xunit.Abstractions;

namespace FeatureMaps.MLNet.Tests.Execution;

/// <summary>
/// The fitted form of the generated graphs: ONNX Runtime writes each row's tensors into buffers made once, and a saved
/// pipeline holds ML.NET's own ONNX transformer instead.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class GraphTransformerTests(ITestOutputHelper output)
{
    private static readonly string[] Photos =
        ["skimage_chelsea.png", "skimage_coffee.png", "skimage_rocket.jpg", "skimage_astronaut.png", "skimage_camera.png", "tuxpaint_otter_rgba.png"];

    /// <summary>
    /// The memory target: no per-image allocation proportional to the activations. The images are decoded once
    /// into a cache, then every layer column of every row is read into reused buffers, for 6 and for 36 images: the
    /// difference divided by 30 is what one more image costs, without what a cursor costs once (its threads, the
    /// buffers of the rows in flight). ML.NET's own ONNX transformer allocated more than the activations per row here.
    /// </summary>
    [Fact]
    public void Reading_every_layer_allocates_a_small_fraction_of_the_activations_per_image()
    {
        var ml = new MLContext();
        var (few, fewColumns) = Layers(ml, 1);
        var (many, manyColumns) = Layers(ml, 6);
        long activationBytes = manyColumns.Sum(c => ((VectorDataViewType)c.Type).Size * sizeof(float));

        var perImage = (Allocated(many, manyColumns) - Allocated(few, fewColumns)) / (5 * Photos.Length);

        output.WriteLine($"{perImage:N0} bytes allocated per image for {activationBytes:N0} bytes of activations in {manyColumns.Length} columns");
        Assert.True(perImage < activationBytes / 20, $"{perImage:N0} bytes allocated per image; activations are {activationBytes:N0} bytes");
    }

    private static (IDataView Layers, DataViewSchema.Column[] Columns) Layers(MLContext ml, int copies)
    {
        var paths = Enumerable.Repeat(Photos, copies).SelectMany(p => p).Select(TestData.Image).ToArray();
        var decoded = ml.Data.Cache(ml.Transforms.LoadAndResize("Image", "ImagePath", 150, 150)
            .Fit(SeedPipeline.Images(ml, paths)).Transform(SeedPipeline.Images(ml, paths)));
        var layers = ml.Transforms.ExtractLayerOutputs(TestData.SeedModel, "Image").Fit(decoded).Transform(decoded);
        var columns = layers.Schema.Where(c => c.Name.StartsWith("Layer.", StringComparison.Ordinal)).ToArray();
        ReadAll(layers, columns); // warm-up: fills the cache, JIT, ONNX Runtime's first run
        return (layers, columns);
    }

    /// <summary>Bytes allocated by three passes over every row.</summary>
    private static long Allocated(IDataView data, DataViewSchema.Column[] columns)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < 3; i++) ReadAll(data, columns);
        return (GC.GetTotalAllocatedBytes(precise: true) - before) / 3;
    }

    [Fact]
    public void Session_options_set_on_the_context_reach_the_generated_graphs()
    {
        using var temp = new TempFolder();
        var ml = new MLContext();
        ml.SetOnnxSessionOption(new OnnxSessionOptions { EnableProfiling = true, ProfileOutputPathPrefix = temp.File("profile") });
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var model = ml.Transforms.LoadAndResize("Image", "ImagePath", 150, 150)
            .Append(ml.Transforms.ExtractLayerOutputs(TestData.SeedModel, "Image")).Fit(images);
        _ = SeedPipeline.First<float>(model.Transform(images), "Layer.conv2d");

        foreach (var transformer in model) (transformer as IDisposable)?.Dispose(); // ONNX Runtime writes the profile when a session ends

        Assert.NotEmpty(Directory.GetFiles(temp.Path, "profile*.json"));
    }

    [Fact]
    public void A_column_of_another_size_is_refused_naming_the_column_and_what_was_expected()
    {
        var ml = new MLContext();
        var normalize = ml.Transforms.NormalizeForDisplay().Fit(ml.Data.LoadFromEnumerable([new SmallLayer()]));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => normalize.Transform(ml.Data.LoadFromEnumerable([new FlatLayer()])));

        Assert.Contains("'Layer.a'", error.Message, StringComparison.Ordinal);
        Assert.Contains("a vector of 60 Single values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_saved_pipeline_loads_with_the_schema_of_the_fitted_one_and_computes_the_same_columns()
    {
        using var temp = new TempFolder();
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var model = SeedPipeline.Build(ml).Append(ml.Transforms.ClassActivationMap(TestData.SeedModel)).Fit(images);
        ml.Model.Save(model, images.Schema, temp.File("pipeline.zip"));
        ml.RegisterFeatureMaps(temp.File("pipeline.zip"));
        var loaded = ml.Model.Load(temp.File("pipeline.zip"), out _);

        var fitted = model.Transform(images);
        var reloaded = loaded.Transform(images);

        Assert.Equal(fitted.Schema.Select(c => (c.Name, c.Type.ToString(), Dims(c))), reloaded.Schema.Select(c => (c.Name, c.Type.ToString(), Dims(c))));
        Assert.Contains(fitted.Schema, c => c.Name == "CamClass");
        foreach (var column in fitted.Schema.Where(c => c.Name.StartsWith("Belt.", StringComparison.Ordinal)))
            Assert.Equal(SeedPipeline.First<byte>(fitted, column.Name), SeedPipeline.First<byte>(reloaded, column.Name));
        Assert.Equal(SeedPipeline.First<float>(fitted, "Cam"), SeedPipeline.First<float>(reloaded, "Cam"));
        Assert.Equal(SeedPipeline.First<long>(fitted, "CamClass"), SeedPipeline.First<long>(reloaded, "CamClass"));
    }

    /// <summary>
    /// A loaded zip runs as fast as the fitted pipeline: every generated-graph step becomes the direct form again (the
    /// seed pipeline under a memory budget nests a chain of passes, which is walked too), with the same belts.
    /// </summary>
    [Fact]
    public void LoadFeatureMaps_gives_the_direct_steps_back_with_the_same_columns()
    {
        using var temp = new TempFolder();
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var model = ml.Transforms.LoadAndResize("Image", "ImagePath", 150, 150)
            .Append(ml.Transforms.ExtractLayerOutputs(new ExtractLayerOutputsOptions { ModelPath = TestData.SeedModel, InputColumnName = "Image", MaxActivationBytes = 300_000 }))
            .Append(ml.Transforms.NormalizeForDisplay()).Append(ml.Transforms.ComposeBelt()).Fit(images);
        ml.Model.Save(model, images.Schema, temp.File("pipeline.zip"));

        var loaded = new MLContext().LoadFeatureMaps(temp.File("pipeline.zip"), out var inputSchema);

        var steps = Flatten(loaded).ToList();
        Assert.DoesNotContain(steps, s => s is OnnxTransformer);
        Assert.Equal(6, steps.Count(s => s is GraphTransformer)); // 4 passes, display, belt
        Assert.Equal("ImagePath", Assert.Single(inputSchema).Name);
        var (fitted, reloaded) = (model.Transform(images), loaded.Transform(images));
        foreach (var column in fitted.Schema.Where(c => c.Name.StartsWith("Belt.", StringComparison.Ordinal)))
            Assert.Equal(SeedPipeline.First<byte>(fitted, column.Name), SeedPipeline.First<byte>(reloaded, column.Name));
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer transformer) =>
        transformer is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [transformer];

    /// <summary>A long-lived process that fits pipelines again and again (one per image size, say) keeps no graph file of the ended ones.</summary>
    [Fact]
    public void Disposing_a_fitted_pipeline_removes_its_graph_files()
    {
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var before = Directory.GetFiles(GeneratedGraphFile.Folder).ToHashSet();
        var model = SeedPipeline.Build(ml).Fit(images);
        var written = Directory.GetFiles(GeneratedGraphFile.Folder).Except(before).ToList();

        foreach (var transformer in (IEnumerable<ITransformer>)model) (transformer as IDisposable)?.Dispose();

        Assert.Equal(3, written.Count); // layers, display, belt
        Assert.All(written, file => Assert.False(File.Exists(file), file));
    }

    /// <summary>
    /// Disposing the model while a cursor still reads it (a prediction engine that owns its model, say) must not end a
    /// native session under a run in flight: the runs in flight finish, later rows fail with an error naming the step.
    /// </summary>
    [Fact]
    public void Disposing_the_model_under_a_live_cursor_fails_the_later_rows_cleanly()
    {
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, Photos.Select(TestData.Image).ToArray());
        var model = SeedPipeline.Build(ml).Fit(images);
        var data = model.Transform(images);
        using var cursor = data.GetRowCursor(data.Schema.Where(c => c.Name.StartsWith("Belt.", StringComparison.Ordinal)));
        Assert.True(cursor.MoveNext());

        foreach (var transformer in (IEnumerable<ITransformer>)model) (transformer as IDisposable)?.Dispose();
        var error = Record.Exception(() => { while (cursor.MoveNext()) { } });

        var disposed = Assert.IsType<ObjectDisposedException>(error);
        Assert.Contains("generated", disposed.Message, StringComparison.Ordinal);
    }

    private static string Dims(DataViewSchema.Column column) =>
        column.Type is VectorDataViewType vector ? string.Join("x", vector.Dimensions.ToArray()) : "";

    private static void ReadAll(IDataView data, DataViewSchema.Column[] columns)
    {
        using var cursor = data.GetRowCursor(columns);
        var getters = columns.Select(c => cursor.GetGetter<VBuffer<float>>(c)).ToArray();
        var buffers = new VBuffer<float>[getters.Length];
        while (cursor.MoveNext())
            for (var i = 0; i < getters.Length; i++)
                getters[i](ref buffers[i]);
    }

    private sealed class SmallLayer
    {
        [ColumnName("Layer.a"), VectorType(4, 5, 3)]
        public float[] Values { get; set; } = new float[60];
    }

    private sealed class FlatLayer
    {
        [ColumnName("Layer.a"), VectorType(10)]
        public float[] Values { get; set; } = new float[10];
    }
}
