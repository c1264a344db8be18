using FeatureMaps.MLNet.Onnx;
using FeatureMaps.MLNet.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Tests.Transforms;

/// <summary>Every real CNN in ../shared/models through the whole pipeline, with the preprocessing its README gives.</summary>
public class SharedModelTests
{
    public static TheoryData<string, int, int, int, string, int> Models => new()
    {
        // model, width, height, channels, preprocessing, feature-map layers
        { "squeezenet1.0_fp16_winml.onnx", 224, 224, 3, "caffe", 17 },
        { "resnet18_cntk_mlnet.onnx", 224, 224, 3, "raw", 74 },
        { "mnist_cntk_winml.onnx", 28, 28, 1, "raw", 8 },
        { "cifar10_tutorial_cnn_winml.onnx", 32, 32, 3, "cifar", 9 },
        { "blazeface_front_128_nhwc.onnx", 128, 128, 3, "tf", 83 },
        { "mlsd_320_tiny_nhwc_rgba.onnx", 320, 320, 4, "mlsd", 92 },
        { "ppocrv4_det_dbnet.onnx", 320, 256, 3, "ppocr", 330 },
        { "pytorch_super_resolution_x3.onnx", 224, 224, 1, "keras", 8 },
    };

    /// <summary>The presets of ../shared/models/README.md that are not built in.</summary>
    private static InputPreprocessing Preset(string name) => name switch
    {
        "cifar" => new InputPreprocessing("cifar", ChannelOrder.Rgb, [1f / 127.5f], [1f], [1f]),
        "mlsd" => new InputPreprocessing("mlsd", ChannelOrder.Rgb, [1f, 1f, 1f, 1f / 255], [0f], [1f]),
        "ppocr" => new InputPreprocessing("ppocr", ChannelOrder.Bgr, [1f / 255], [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]),
        _ => InputPreprocessing.FromName(name),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Model_runs_through_the_pipeline_on_a_real_photo(string file, int width, int height, int channels, string preprocessing, int layers)
    {
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Image(channels == 4 ? "tuxpaint_otter_rgba.png" : "skimage_astronaut.png"));
        var extract = ml.Transforms.ExtractLayerOutputs(new ExtractLayerOutputsOptions
        {
            ModelPath = TestData.Model(file),
            Preprocessing = Preset(preprocessing),
            InputModelPath = file.StartsWith("resnet18", StringComparison.Ordinal) ? TestData.Model("resnet18_cntk_mlnet_preprocess.onnx") : null,
        });
        var pipeline = ml.Transforms.LoadAndResize(new LoadAndResizeOptions { Width = width, Height = height, Channels = channels })
            .Append(extract)
            .Append(ml.Transforms.NormalizeForDisplay())
            .Append(ml.Transforms.ComposeBelt(channelsPerRow: 16, spacing: 1));

        var result = pipeline.Fit(images).Transform(images);

        Assert.Equal(layers, extract.SelectedLayers.Count);
        Assert.Equal("", result.GetColumn<string>("ImageError").Single());
        var belts = result.Schema.Where(c => c.Name.StartsWith(ColumnPrefixes.Belt, StringComparison.Ordinal)).Select(c => c.Name).ToList();
        Assert.True(layers == belts.Count, string.Join(", ", belts));
        using var cursor = result.GetRowCursor(result.Schema);
        Assert.True(cursor.MoveNext());
        var informative = 0;
        foreach (var layer in extract.SelectedLayers)
        {
            var column = extract.ColumnOf(layer);
            var values = Read<float>(cursor, result.Schema[column]);
            Assert.DoesNotContain(values, float.IsNaN);
            var (h, w, c) = layer.MapGeometry;
            var dims = SeedPipeline.Dims(result, column);
            if (h.IsFixed) Assert.Equal(h.Size, dims[0]);
            if (w.IsFixed) Assert.Equal(w.Size, dims[1]);
            if (c.IsFixed) Assert.Equal(c.Size, dims[2]);
            var belt = Read<byte>(cursor, result.Schema[ColumnPrefixes.Belt + column[ColumnPrefixes.Layer.Length..]]);
            var geometry = new BeltGeometry(dims[0], dims[1], dims[2], Math.Min(16, dims[2]), 1);
            Assert.Equal(geometry.Height * geometry.Width, belt.Length);
            if (belt.Distinct().Count() > 2) informative++;
        }
        Assert.True(informative >= layers / 2, $"only {informative} of {layers} belts show any structure");
    }

    private static T[] Read<T>(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var buffer = default(VBuffer<T>);
        cursor.GetGetter<VBuffer<T>>(column)(ref buffer);
        return buffer.DenseValues().ToArray();
    }

    [Fact]
    public void Squeezenet_fp16_with_the_caffe_preset_sees_an_Egyptian_cat_in_chelsea()
    {
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var result = ml.Transforms.LoadAndResize("Image", "ImagePath", 224, 224)
            .Append(ml.Transforms.ExtractLayerOutputs(TestData.Model("squeezenet1.0_fp16_winml.onnx"), preprocessing: InputPreprocessing.Caffe))
            .Fit(images).Transform(images);

        var scores = SeedPipeline.First<float>(result, "Output.softmaxout_1");
        Assert.Equal(1000, scores.Length);
        Assert.Equal(285, Array.IndexOf(scores, scores.Max()));
    }

    [Fact]
    public void A_belt_of_an_NCHW_tensor_equals_the_belt_of_the_same_data_in_NHWC()
    {
        // The seed model computes conv2d's ReLU in NCHW ("conv2d/Relu:0") and transposes it to NHWC ("conv2d").
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var extract = ml.Transforms.ExtractLayerOutputs(TestData.SeedModel, layers: ["conv2d/Relu:0", "conv2d"]);
        var result = ml.Transforms.LoadAndResize("Image", "ImagePath", 150, 150).Append(extract)
            .Append(ml.Transforms.NormalizeForDisplay()).Append(ml.Transforms.ComposeBelt(channelsPerRow: 4, spacing: 2))
            .Fit(images).Transform(images);

        Assert.Equal([TensorLayout.NCHW, TensorLayout.NHWC], extract.SelectedLayers.Select(l => l.Layout));
        Assert.Equal(SeedPipeline.First<byte>(result, "Belt.conv2d"), SeedPipeline.First<byte>(result, "Belt.conv2d/Relu:0"));
    }

    [Fact]
    public void A_layout_override_changes_how_a_tensor_is_read()
    {
        var ml = new MLContext();
        var extract = ml.Transforms.ExtractLayerOutputs(new ExtractLayerOutputsOptions
        {
            ModelPath = TestData.SeedModel,
            Layers = ["conv2d"],
            LayoutOverrides = new Dictionary<string, TensorLayout> { ["conv2d"] = TensorLayout.NCHW },
        });
        var layer = Assert.Single(extract.SelectedLayers);
        Assert.Equal(TensorLayout.NCHW, layer.Layout);
        Assert.Equal("148x8x148", layer.DisplayShape);
    }
}
