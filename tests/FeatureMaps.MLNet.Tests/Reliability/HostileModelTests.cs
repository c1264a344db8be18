using FeatureMaps.MLNet.Onnx;
using FeatureMaps.MLNet.Tests.Transforms;
using FeatureMaps.MLNet.Transforms;
using Microsoft.ML;
using Onnx;

namespace FeatureMaps.MLNet.Tests.Reliability;

[Trait("Category", "Reliability")]
public class HostileModelTests
{
    private static IEstimator<ITransformer> Pipeline(MLContext ml, string model, int size = 8) =>
        ml.Transforms.LoadAndResize("Image", "ImagePath", size, size)
            .Append(ml.Transforms.ExtractLayerOutputs(model, "Image"))
            .Append(ml.Transforms.NormalizeForDisplay())
            .Append(ml.Transforms.ComposeBelt());

    [Fact]
    public void Missing_empty_and_non_onnx_models_are_refused_naming_the_file_before_any_image_is_read()
    {
        using var temp = new TempFolder();
        File.WriteAllBytes(temp.File("empty.onnx"), []);
        File.WriteAllText(temp.File("text.onnx"), "<html>not a model</html>");
        var ml = new MLContext();
        foreach (var (file, expected) in new[] { ("gone.onnx", "does not exist"), ("empty.onnx", "is empty"), ("text.onnx", "is not an ONNX model") })
        {
            var error = Assert.Throws<OnnxModelException>(() => ml.Transforms.ExtractLayerOutputs(temp.File(file)));
            Assert.Contains(file, error.Message);
            Assert.Contains(expected, error.Message);
        }
    }

    [Fact]
    public void A_valid_model_without_4D_tensors_says_so()
    {
        using var temp = new TempFolder();
        var path = TinyModels.Save(TinyModels.DenseModel(), temp.File("dense.onnx"));
        var error = Assert.Throws<OnnxModelException>(() => new MLContext().Transforms.ExtractLayerOutputs(path));
        Assert.Contains("dense.onnx", error.Message);
        Assert.Contains("no displayable 4-D layer outputs", error.Message);
    }

    [Fact]
    public void An_operator_onnx_runtime_cannot_run_is_reported_with_the_model_file()
    {
        using var temp = new TempFolder();
        var path = TinyModels.Save(TinyModels.ReluModel(opType: "Sparkle", domain: "com.example"), temp.File("custom-op.onnx"));
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var error = Assert.Throws<OnnxModelException>(() => Pipeline(ml, path).Fit(images));
        Assert.Contains("custom-op.onnx", error.Message);
        Assert.Contains("Sparkle", error.Message);
    }

    [Fact]
    public void External_data_outside_the_models_folder_is_refused()
    {
        using var temp = new TempFolder();
        foreach (var location in new[] { "../../etc/passwd", "/etc/passwd", "weights/../../secret.bin" })
        {
            var model = TinyModels.DenseModel();
            var weights = model.Graph.Initializer[0];
            weights.FloatData.Clear();
            weights.DataLocation = TensorProto.Types.DataLocation.External;
            weights.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
            var path = TinyModels.Save(model, temp.File("external.onnx"));
            var error = Assert.Throws<OnnxModelException>(() => OnnxModelInspector.Inspect(path));
            Assert.Contains("outside the model's folder", error.Message);
            Assert.Contains(location, error.Message);
        }
    }

    [Fact]
    public void Layer_names_with_markup_pass_through_as_plain_column_names()
    {
        using var temp = new TempFolder();
        const string name = "<script>alert('x')</script>";
        var path = TinyModels.Save(TinyModels.ReluModel(name), temp.File("markup.onnx"));
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var result = Pipeline(ml, path).Fit(images).Transform(images);
        // The '/' in "</script>" splits it like a tf2onnx scope: the layer is "<script>alert('x')<".
        var belt = Assert.Single(result.Schema, c => c.Name.StartsWith(ColumnPrefixes.Belt, StringComparison.Ordinal));
        Assert.Equal("Belt.<script>alert('x')<", belt.Name);
        Assert.Equal([8, 24], SeedPipeline.Dims(result, belt.Name));
    }
}
