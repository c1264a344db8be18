using FeatureMaps.MLNet.Onnx;
using FeatureMaps.MLNet.Transforms;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Tests.Transforms;

public class ExtractLayerOutputsTests
{
    private static readonly string[] SeedMaps = ["conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "conv2d_2", "max_pooling2d_2"];

    [Fact]
    public void Default_selection_is_every_4D_layer_plus_the_models_outputs_with_HWC_dims()
    {
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var estimator = ml.Transforms.ExtractLayerOutputs(TestData.SeedModel, "Image");
        var result = ml.Transforms.LoadAndResize("Image", "ImagePath", 150, 150).Append(estimator).Fit(images).Transform(images);

        Assert.Equal(SeedMaps, estimator.SelectedLayers.Select(l => l.Layer));
        Assert.Equal([148, 148, 8], SeedPipeline.Dims(result, "Layer.conv2d"));
        Assert.Equal([17, 17, 32], SeedPipeline.Dims(result, "Layer.max_pooling2d_2"));
        var probabilities = SeedPipeline.First<float>(result, "Output.dense_2");
        Assert.Equal(3, probabilities.Length);
        Assert.Equal(1f, probabilities.Sum(), 4);
    }

    /// <summary>
    /// The reference is what a user writes today: ML.NET's stock ApplyOnnxModel on a copy of the model
    /// whose layer tensors are graph outputs, fed the same pixels scaled by 1/255.
    /// </summary>
    [Fact]
    public void Activations_equal_stock_ApplyOnnxModel_on_a_copy_with_the_layers_exposed()
    {
        using var temp = new TempFolder();
        var exposedCopy = temp.File("seed-exposed.onnx");
        var model = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(TestData.SeedModel));
        foreach (var name in SeedMaps)
            model.Graph.Output.Add(model.Graph.ValueInfo.Single(v => v.Name == name));
        foreach (var output in model.Graph.Output.Concat(model.Graph.Input))
            output.Type.TensorType.Shape.Dim[0].DimValue = 1; // ML.NET wants fixed sizes
        File.WriteAllBytes(exposedCopy, model.ToByteArray());

        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea, TestData.Image("skimage_coffee.png"));
        var ours = ml.Transforms.LoadAndResize("Image", "ImagePath", 150, 150)
            .Append(ml.Transforms.ExtractLayerOutputs(TestData.SeedModel, "Image")).Fit(images).Transform(images);
        var scaled = ml.Data.LoadFromEnumerable(ours.GetColumn<VBuffer<float>>("Image")
            .Select(v => new InputRow { Input = v.DenseValues().Select(x => x / 255f).ToArray() }));
        var stock = ml.Transforms.ApplyOnnxModel(SeedMaps, ["input"], exposedCopy).Fit(scaled).Transform(scaled);

        foreach (var layer in SeedMaps)
        {
            var expected = stock.GetColumn<VBuffer<float>>(layer).Select(v => v.DenseValues().ToArray()).ToList();
            var actual = ours.GetColumn<VBuffer<float>>("Layer." + layer).Select(v => v.DenseValues().ToArray()).ToList();
            Assert.Equal(2, actual.Count);
            for (var row = 0; row < 2; row++)
            {
                Assert.Equal(expected[row].Length, actual[row].Length);
                var worst = expected[row].Zip(actual[row], (e, a) => Math.Abs(e - a)).Max();
                Assert.True(worst <= 1e-5, $"{layer} row {row}: max difference {worst}");
            }
        }
    }

    private sealed class InputRow
    {
        [VectorType(150, 150, 3)]
        [ColumnName("input")]
        public float[] Input { get; set; } = [];
    }

    [Fact]
    public void Layers_are_selected_by_name_glob_op_and_range()
    {
        var ml = new MLContext();
        string[] Select(params string[] s) => ml.Transforms.ExtractLayerOutputs(TestData.SeedModel, layers: s).SelectedLayers.Select(l => l.Layer).ToArray();

        Assert.Equal(["conv2d_1"], Select("conv2d_1"));
        Assert.Equal(["max_pooling2d", "max_pooling2d_1", "max_pooling2d_2"], Select("max_pooling2d*"));
        Assert.Equal(["conv2d", "conv2d_1", "conv2d_2"], Select("op:Conv"));
        Assert.Equal(["max_pooling2d", "conv2d_1"], Select("#1-2"));
        Assert.Equal(SeedMaps, Select("all"));
    }

    [Fact]
    public void An_unknown_layer_name_lists_the_closest_names()
    {
        var ml = new MLContext();
        var error = Assert.Throws<ArgumentException>(() => ml.Transforms.ExtractLayerOutputs(TestData.SeedModel, layers: ["conv2d_3"]));
        Assert.Contains("No layer 'conv2d_3'", error.Message);
        Assert.Contains("'conv2d_2'", error.Message);
    }

    [Fact]
    public void Wrong_image_column_name_type_and_size_are_rejected_naming_the_column()
    {
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);

        var missing = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.LoadAndResize("Image", "ImagePath", 150, 150).Append(ml.Transforms.ExtractLayerOutputs(TestData.SeedModel, "Pixels")).Fit(images));
        Assert.Contains("'Pixels' not found", missing.Message);

        var wrongType = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ExtractLayerOutputs(TestData.SeedModel, "ImagePath").Fit(images));
        Assert.Contains("'ImagePath'", wrongType.Message);

        var wrongSize = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.LoadAndResize("Image", "ImagePath", 100, 100).Append(ml.Transforms.ExtractLayerOutputs(TestData.SeedModel, "Image")).Fit(images));
        Assert.Contains("'Image' holds 100x100x3", wrongSize.Message);
        Assert.Contains("150x150x3", wrongSize.Message);

        var notText = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.LoadAndResize("Image2", "Image", 150, 150).Fit(ml.Transforms.LoadAndResize("Image", "ImagePath", 150, 150).Fit(images).Transform(images)));
        Assert.Contains("'Image'", notText.Message);
        Assert.Contains("text column", notText.Message);
    }

    [Fact]
    public void A_model_with_several_inputs_or_no_feature_maps_gets_a_clear_error()
    {
        using var temp = new TempFolder();
        var model = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(TestData.Model("mnist_cntk_winml.onnx")));
        var twoInputs = model.Clone();
        twoInputs.Graph.Input.Add(GraphBuilder.TensorInfo("extra", TensorElementKind.Float, [1]));
        File.WriteAllBytes(temp.File("two.onnx"), twoInputs.ToByteArray());
        var ml = new MLContext();
        var error = Assert.Throws<OnnxModelException>(() => ml.Transforms.ExtractLayerOutputs(temp.File("two.onnx")));
        Assert.Contains("2 inputs ('Input3', 'extra')", error.Message);
    }
}

public class InputPreprocessingTests
{
    [Fact]
    public void Presets_and_custom_descriptions_parse()
    {
        Assert.Same(InputPreprocessing.Caffe, InputPreprocessing.Parse("CAFFE"));
        var custom = InputPreprocessing.Parse("order=bgr; scale=1/255; mean=0.485,0.456,0.406; std=0.229,0.224,0.225");
        Assert.Equal(ChannelOrder.Bgr, custom.Order);
        Assert.Equal(1f / 255, custom.Scale.Single(), 6);
        Assert.Equal([0.485f, 0.456f, 0.406f], custom.Mean);
        Assert.Contains("valid presets are keras, tf, caffe, torch, raw, raw-bgr", Assert.Throws<ArgumentException>(() => InputPreprocessing.Parse("imagenet")).Message);
        Assert.Contains("'x'", Assert.Throws<ArgumentException>(() => InputPreprocessing.Parse("scale=x")).Message);
    }
}
