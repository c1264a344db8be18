using FeatureMaps.MLNet.Persistence;
using FeatureMaps.MLNet.Tests.Transforms;
using FeatureMaps.MLNet.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Tests.Cam;

public class ClassActivationMapEstimatorTests
{
    /// <summary>Batches must divide the masked runs; a prime count larger than the batch limit runs one at a time, and says why.</summary>
    [Theory]
    [InlineData(7, 4, true)]
    [InlineData(1, 4, false)]
    [InlineData(7, 1, false)]
    public void A_count_of_masked_runs_no_batch_divides_runs_one_at_a_time_with_the_reason(int runs, int maxBatch, bool explained)
    {
        var replica = FeatureMaps.MLNet.Onnx.ModelReplica.Create(new global::Onnx.ModelProto { Graph = new global::Onnx.GraphProto() }, null!, [1, 3, 2, 2], "scores", runs, maxBatch);

        if (explained)
        {
            Assert.Equal(1, replica.BatchSize);
            Assert.Contains($"{runs} masked runs", replica.WhySequential, StringComparison.Ordinal);
        }
        else
            Assert.True(replica.BatchSize > 1 || replica.WhySequential is null, replica.WhySequential);
    }

    [Fact]
    public void The_default_layer_is_the_last_feature_map_layer_before_the_classifier()
    {
        var ml = new MLContext();
        Assert.Equal("max_pooling2d_2", ml.Transforms.ClassActivationMap(TestData.SeedModel).Layer.Layer);
        // SqueezeNet ends in 1x1 maps (global pooling, softmax): the last larger layer is conv10's ReLU.
        Assert.Equal("conv10_2", ml.Transforms.ClassActivationMap(CamModels.SqueezeNet.Options(CamMethod.Eigen)).Layer.Layer);
        Assert.Equal("ReLU393_Output_0", ml.Transforms.ClassActivationMap(CamModels.ResNet18.Options(CamMethod.Eigen)).Layer.Layer);
    }

    [Fact]
    public void Output_columns_are_the_map_at_layer_resolution_the_target_class_and_its_probability()
    {
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea, TestData.Image("skimage_coffee.png"));
        var result = CamModels.Pipeline(ml, CamModels.Seed, CamModels.Seed.Options(CamMethod.Eigen)).Fit(images).Transform(images);

        Assert.Equal([17, 17], ((VectorDataViewType)result.Schema["Cam"].Type).Dimensions.ToArray());
        Assert.Equal(NumberDataViewType.Int64, ((VectorDataViewType)result.Schema["CamClass"].Type).ItemType);
        var maps = CamModels.Read(result);
        Assert.Equal(2, maps.Length);
        foreach (var map in maps)
        {
            Assert.All(map.Values, v => Assert.InRange(v, 0f, 1f));
            Assert.Equal(1f, map.Values.Max());
            Assert.InRange(map.Score, 1f / 3, 1f); // the predicted class of 3 has at least a third
            Assert.InRange(map.Class, 0, 2);
        }
    }

    [Fact]
    public void A_chosen_target_class_is_mapped_instead_of_the_predicted_one()
    {
        var predicted = CamModels.Run(CamModels.Seed, CamModels.Seed.Options(CamMethod.Score), TestData.Chelsea).Single();
        var other = (int)(predicted.Class + 1) % 3;
        var chosen = CamModels.Run(CamModels.Seed, CamModels.Seed.Options(CamMethod.Score, target: other), TestData.Chelsea).Single();

        Assert.Equal(other, chosen.Class);
        Assert.True(chosen.Score < predicted.Score, $"class {other} has probability {chosen.Score}, the predicted {predicted.Class} {predicted.Score}");
        Assert.NotEqual(predicted.Values, chosen.Values);
    }

    [Fact]
    public void Score_CAM_batches_the_masked_runs_and_gives_the_same_map_as_running_them_one_by_one()
    {
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var batched = ml.Transforms.ClassActivationMap(CamModels.Seed.Options(CamMethod.Score));
        var single = ml.Transforms.ClassActivationMap(new ClassActivationMapOptions { ModelPath = TestData.SeedModel, Method = CamMethod.Score, MaxBatchSize = 1 });
        var loaded = ml.Transforms.LoadAndResize("Image", "ImagePath", 150, 150).Fit(images).Transform(images);

        var plan = batched.Plan(loaded.Schema);
        Assert.Equal((32, 32, (string?)null), (plan.MaskedRuns, plan.BatchSize, plan.WhySequential));
        Assert.Equal(1, single.Plan(loaded.Schema).BatchSize);
        var a = CamModels.Read(batched.Fit(loaded).Transform(loaded)).Single();
        var b = CamModels.Read(single.Fit(loaded).Transform(loaded)).Single();
        Assert.Equal(a.Values.Length, b.Values.Length);
        for (var i = 0; i < a.Values.Length; i++)
            Assert.Equal(b.Values[i], a.Values[i], 1e-4f);
    }

    [Fact]
    public void A_graph_that_fixes_the_batch_at_1_in_a_Reshape_is_batched_through_a_patched_copy_or_else_runs_sequentially_and_says_why()
    {
        using var temp = new TempFolder();
        var model = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(TestData.SeedModel));
        var flatten = model.Graph.Node.First(n => n.OpType == "Reshape");
        var shape = model.Graph.Initializer.First(t => t.Name == flatten.Input[1]);
        var values = shape.Int64Data.Count > 0 ? shape.Int64Data.ToArray() : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(shape.RawData.Span).ToArray();
        values[0] = 1; // as many exporters write it: the batch fixed at 1
        shape.RawData = Google.Protobuf.ByteString.Empty;
        shape.Int64Data.Clear();
        shape.Int64Data.AddRange(values);
        var fixedBatch = temp.File("seed-batch-1.onnx");
        File.WriteAllBytes(fixedBatch, Google.Protobuf.MessageExtensions.ToByteArray(model));
        // The same shape behind an Identity node is out of the patch's reach.
        var hidden = new global::Onnx.NodeProto { OpType = "Identity", Name = "hide_shape", Input = { flatten.Input[1] }, Output = { "hidden_shape" } };
        model.Graph.Node.Insert(model.Graph.Node.IndexOf(flatten), hidden);
        flatten.Input[1] = "hidden_shape";
        var unpatchable = temp.File("seed-unpatchable.onnx");
        File.WriteAllBytes(unpatchable, Google.Protobuf.MessageExtensions.ToByteArray(model));

        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var loaded = ml.Transforms.LoadAndResize("Image", "ImagePath", 150, 150).Fit(images).Transform(images);
        var patched = ml.Transforms.ClassActivationMap(CamModels.Seed.Options(CamMethod.Score, modelPath: fixedBatch)).Plan(loaded.Schema);
        var sequential = ml.Transforms.ClassActivationMap(CamModels.Seed.Options(CamMethod.Score, modelPath: unpatchable)).Plan(loaded.Schema);

        Assert.Equal((32, (string?)null), (patched.BatchSize, patched.WhySequential));
        Assert.Equal(1, sequential.BatchSize);
        Assert.Contains("the graph fixes the batch at 1", sequential.WhySequential);
    }

    [Fact]
    public void The_shared_ImageNet_models_run_their_masked_inputs_batched()
    {
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var loaded = ml.Transforms.LoadAndResize("Image", "ImagePath", 224, 224).Fit(images).Transform(images);

        var squeezeNet = ml.Transforms.ClassActivationMap(CamModels.SqueezeNet.Options(CamMethod.Occlusion, patchSize: 32)).Plan(loaded.Schema);
        var resNet = ml.Transforms.ClassActivationMap(CamModels.ResNet18.Options(CamMethod.Score)).Plan(loaded.Schema);

        Assert.Equal((49, 7, (string?)null), (squeezeNet.MaskedRuns, squeezeNet.BatchSize, squeezeNet.WhySequential)); // 49 = 7 x 7
        Assert.Equal((512, 32, (string?)null), (resNet.MaskedRuns, resNet.BatchSize, resNet.WhySequential));
        // ML.NET's resnet18 is a featurizer: its output is the 512 pooled features, no ImageNet classifier.
        Assert.Equal((7, 7, 512, 512), (resNet.MapHeight, resNet.MapWidth, resNet.LayerChannels, resNet.Classes));
    }

    [Fact]
    public void Eigen_CAM_from_the_columns_of_ExtractLayerOutputs_equals_Eigen_CAM_running_the_model()
    {
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea, TestData.Image("skimage_coffee.png"));
        var fromModel = CamModels.Run(CamModels.Seed, CamModels.Seed.Options(CamMethod.Eigen), TestData.Chelsea, TestData.Image("skimage_coffee.png"));
        var pipeline = ml.Transforms.LoadAndResize("Image", "ImagePath", 150, 150)
            .Append(ml.Transforms.ExtractLayerOutputs(TestData.SeedModel, layers: ["max_pooling2d_2"]))
            .Append(ml.Transforms.ClassActivationMap(new ClassActivationMapOptions
            {
                ModelPath = TestData.SeedModel, ActivationsColumnName = "Layer.max_pooling2d_2", ScoresColumnName = "Output.dense_2",
            }));

        var fromColumns = CamModels.Read(pipeline.Fit(images).Transform(images));

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal((fromModel[i].Class, fromModel[i].Score), (fromColumns[i].Class, fromColumns[i].Score));
            for (var p = 0; p < fromModel[i].Values.Length; p++)
                Assert.Equal(fromModel[i].Values[p], fromColumns[i].Values[p], 1e-4f);
        }
        var score = Assert.Throws<ArgumentException>(() => ml.Transforms.ClassActivationMap(new ClassActivationMapOptions
        {
            ModelPath = TestData.SeedModel, Method = CamMethod.Score, ActivationsColumnName = "Layer.max_pooling2d_2", ScoresColumnName = "Output.dense_2",
        }));
        Assert.Contains("only Eigen-CAM can use ActivationsColumnName", score.Message);
    }

    [Fact]
    public void Occlusion_maps_the_patch_grid_and_says_how_many_runs_it_makes()
    {
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var loaded = ml.Transforms.LoadAndResize("Image", "ImagePath", 150, 150).Fit(images).Transform(images);
        var estimator = ml.Transforms.ClassActivationMap(new ClassActivationMapOptions { ModelPath = TestData.SeedModel, Method = CamMethod.Occlusion, PatchSize = 30, Stride = 20 });

        var plan = estimator.Plan(loaded.Schema);

        Assert.Equal((7, 7, 49), (plan.MapHeight, plan.MapWidth, plan.MaskedRuns)); // (150 - 30) / 20 + 1
        var map = CamModels.Read(estimator.Fit(loaded).Transform(loaded)).Single();
        Assert.Equal((7, 7), (map.Height, map.Width));
    }

    [Fact]
    public void Schema_errors_name_the_column_and_what_was_expected()
    {
        var ml = new MLContext();
        var estimator = ml.Transforms.ClassActivationMap(TestData.SeedModel);
        var images = SeedPipeline.Images(ml, TestData.Chelsea);

        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(images));
        Assert.Contains("ClassActivationMap: input column 'Image' not found; expected a float vector of 150x150x3 pixels", missing.Message);

        var small = ml.Transforms.LoadAndResize("Image", "ImagePath", 100, 100).Fit(images).Transform(images);
        var wrongSize = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(small));
        Assert.Contains("'Image' holds 100x100x3 values; expected a float vector of 150x150x3", wrongSize.Message);

        var text = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ClassActivationMap(TestData.SeedModel, inputColumnName: "ImagePath").Fit(images));
        Assert.Contains("input column 'ImagePath' is String; expected a float vector", text.Message);
    }

    [Fact]
    public void Bad_options_get_errors_that_list_the_valid_choices()
    {
        var ml = new MLContext();
        var layer = Assert.Throws<ArgumentException>(() => ml.Transforms.ClassActivationMap(TestData.SeedModel, layer: "conv2d_9"));
        Assert.Contains("Closest existing names: 'conv2d_1', 'conv2d_2'", layer.Message);
        var flat = Assert.Throws<ArgumentException>(() => ml.Transforms.ClassActivationMap(TestData.SeedModel, layer: "dense"));
        Assert.Contains("must name one 4-D layer", flat.Message);
        var output = Assert.Throws<ArgumentException>(() => ml.Transforms.ClassActivationMap(new ClassActivationMapOptions { ModelPath = TestData.SeedModel, ClassOutput = "nope" }));
        Assert.Contains("its outputs are", output.Message);

        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var target = Assert.Throws<ArgumentOutOfRangeException>(() => CamModels.Pipeline(ml, CamModels.Seed, CamModels.Seed.Options(CamMethod.Eigen, target: 3)).Fit(images));
        Assert.Contains("has 3 classes (0..2)", target.Message);
    }

    [Theory]
    [InlineData(CamMethod.Eigen)]
    [InlineData(CamMethod.Score)]
    [InlineData(CamMethod.Occlusion)]
    public void The_fitted_map_saves_to_a_zip_and_loads_without_the_onnx_file(CamMethod method)
    {
        using var temp = new TempFolder();
        var modelCopy = temp.File("seed-copy.onnx");
        File.Copy(TestData.SeedModel, modelCopy);
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var fitted = CamModels.Pipeline(ml, CamModels.Seed, CamModels.Seed.Options(method, modelPath: modelCopy, patchSize: 50)).Fit(images);
        var expected = CamModels.Read(fitted.Transform(images)).Single();
        var zip = temp.File("cam.zip");
        ml.Model.Save(fitted, images.Schema, zip);
        File.Delete(modelCopy);

        var fresh = new MLContext();
        fresh.RegisterFeatureMaps(zip);
        var loaded = fresh.Model.Load(zip, out _);
        var actual = CamModels.Read(loaded.Transform(SeedPipeline.Images(fresh, TestData.Chelsea))).Single();

        Assert.Equal(expected.Values, actual.Values);
        Assert.Equal((expected.Class, expected.Score), (actual.Class, actual.Score));
    }
}
