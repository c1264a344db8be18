using FeatureMaps.MLNet.Onnx;

namespace FeatureMaps.MLNet.Tests.Onnx;

public class ModelInspectionTests
{
    [Fact]
    public void Seed_model_lists_the_tutorials_ten_layers_with_the_tutorials_shapes_in_order()
    {
        var model = OnnxModelInspector.Inspect(TestData.SeedModel);

        Assert.Equal(
            ["conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "conv2d_2", "max_pooling2d_2", "flatten", "dense", "dense_1", "dense_2"],
            model.Layers.Select(l => l.Layer));
        Assert.Equal(
            ["148x148x8", "74x74x8", "72x72x16", "36x36x16", "34x34x32", "17x17x32", "9248", "1024", "512", "3"],
            model.Layers.Select(l => l.DisplayShape));
        Assert.All(model.Layers, l => Assert.Equal(l.Layer, l.Tensor));
        Assert.Equal(["Conv", "MaxPool", "Conv", "MaxPool", "Conv", "MaxPool"], model.FeatureMapLayers.Select(l => l.OpType));
        Assert.All(model.FeatureMapLayers, l => Assert.Equal(TensorLayout.NHWC, l.Layout));
        Assert.Equal("batch_size", model.Layers[0].Shape[0].Symbol);
        var input = Assert.Single(model.Inputs);
        Assert.Equal(TensorLayout.NHWC, input.Layout);
        Assert.Equal("150x150x3", $"{input.ImageGeometry.Height}x{input.ImageGeometry.Width}x{input.ImageGeometry.Channels}");
    }

    [Fact]
    public void Plumbing_is_hidden_by_default_and_listed_in_full()
    {
        var model = OnnxModelInspector.Inspect(TestData.SeedModel);

        Assert.True(model.Tensors.Count > model.Layers.Count);
        Assert.Contains(model.Tensors, t => t.IsPlumbing && t.OpType == "Transpose");
        Assert.DoesNotContain(model.Layers, t => t.OpType == "Transpose");
    }

    // Counts are of computed 4-D tensors (weights and Constant outputs excluded) and of shown feature-map layers.
    [Theory]
    [InlineData("squeezenet1.0_fp16_winml.onnx", "data_0", TensorElementKind.Float16, 66, 17, "")]
    [InlineData("resnet18_cntk_mlnet.onnx", "Input247", TensorElementKind.Float, 74, 74, "")]
    [InlineData("mnist_cntk_winml.onnx", "Input3", TensorElementKind.Float, 8, 8, "")]
    [InlineData("cifar10_tutorial_cnn_winml.onnx", "modelInput", TensorElementKind.Float, 9, 9, "batch_size")]
    [InlineData("blazeface_front_128_nhwc.onnx", "input:0", TensorElementKind.Float, 89, 83, "")]
    [InlineData("mlsd_320_tiny_nhwc_rgba.onnx", "input_image_with_alpha:0", TensorElementKind.Float, 100, 92, "")]
    [InlineData("ppocrv4_det_dbnet.onnx", "x", TensorElementKind.Float, 330, 330, "p2o.DynamicDimension.0")]
    [InlineData("pytorch_super_resolution_x3.onnx", "input", TensorElementKind.Float, 8, 8, "batch_size")]
    public void Every_shared_model_is_listed(string file, string input, TensorElementKind inputKind, int fourD, int featureMapLayers, string batchSymbol)
    {
        var model = OnnxModelInspector.Inspect(TestData.Model(file));

        var modelInput = Assert.Single(model.Inputs);
        Assert.Equal(input, modelInput.Name);
        Assert.Equal(inputKind, modelInput.ElementKind);
        Assert.Equal(batchSymbol, modelInput.Shape[0].Symbol ?? "");
        Assert.Equal(fourD, model.Tensors.Count(t => t.IsFeatureMap));
        Assert.Equal(featureMapLayers, model.FeatureMapLayers.Count);
        Assert.All(model.Tensors, t => Assert.NotEqual(TensorElementKind.Undefined, t.ElementKind));
    }

    [Fact]
    public void Float16_tensors_keep_their_type_and_symbolic_dims_keep_their_names()
    {
        var squeezenet = OnnxModelInspector.Inspect(TestData.Model("squeezenet1.0_fp16_winml.onnx"));
        Assert.All(squeezenet.FeatureMapLayers, l => Assert.Equal(TensorElementKind.Float16, l.ElementKind));

        var ocr = OnnxModelInspector.Inspect(TestData.Model("ppocrv4_det_dbnet.onnx"));
        Assert.Equal(["p2o.DynamicDimension.0", "3", "p2o.DynamicDimension.1", "p2o.DynamicDimension.2"], ocr.Inputs[0].Shape.Select(d => d.ToString()));
    }

    [Fact]
    public void Weights_stored_as_nodes_are_not_layers()
    {
        var mnist = OnnxModelInspector.Inspect(TestData.Model("mnist_cntk_winml.onnx"));
        // CNTK reshapes a weight initializer with a node; that output is a parameter, not an activation.
        Assert.DoesNotContain(mnist.Tensors, t => t.Tensor == "Parameter193_reshape1");
        var ocr = OnnxModelInspector.Inspect(TestData.Model("ppocrv4_det_dbnet.onnx"));
        Assert.DoesNotContain(ocr.Tensors, t => t.OpType == "Constant");
    }

    [Fact]
    public void Tf2onnx_layouts_are_decided_per_tensor()
    {
        var blazeface = OnnxModelInspector.Inspect(TestData.Model("blazeface_front_128_nhwc.onnx"));

        Assert.Equal(TensorLayout.NHWC, blazeface.Inputs[0].Layout);
        Assert.Equal(TensorLayout.NCHW, blazeface.FeatureMapLayers[0].Layout);
        Assert.Contains(blazeface.Tensors, t => t.IsFeatureMap && t.Layout == TensorLayout.NHWC);
    }

    [Fact]
    public void Keras_and_tf2onnx_tensor_names_map_to_layer_names()
    {
        Assert.Equal("conv2d", LayerNaming.LayerOf("conv2d/Relu:0"));
        Assert.Equal("functional_1/conv2d", LayerNaming.LayerOf("StatefulPartitionedCall/functional_1/conv2d/Relu:0"));
        Assert.Equal("layer1/conv1", LayerNaming.LayerOf("/layer1/conv1/Conv_output_0"));
        Assert.Equal("conv1_1", LayerNaming.LayerOf("conv1_1"));
    }

    [Fact]
    public void Missing_empty_and_non_onnx_files_give_errors_naming_the_file()
    {
        using var temp = new TempFolder();
        var missing = temp.File("missing.onnx");
        var empty = temp.File("empty.onnx");
        File.WriteAllBytes(empty, []);
        var text = temp.File("notes.onnx");
        File.WriteAllText(text, "this is not a model, just some text that protobuf may or may not parse");
        var random = temp.File("random.onnx");
        File.WriteAllBytes(random, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray());

        Assert.Contains("missing.onnx' does not exist", Assert.Throws<OnnxModelException>(() => OnnxModelInspector.Inspect(missing)).Message);
        Assert.Contains("empty.onnx' is empty", Assert.Throws<OnnxModelException>(() => OnnxModelInspector.Inspect(empty)).Message);
        Assert.Contains("notes.onnx' is not an ONNX model", Assert.Throws<OnnxModelException>(() => OnnxModelInspector.Inspect(text)).Message);
        Assert.Contains("random.onnx' is not an ONNX model", Assert.Throws<OnnxModelException>(() => OnnxModelInspector.Inspect(random)).Message);
    }
}
