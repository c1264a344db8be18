using FeatureMaps.MLNet.Transforms;
using FeatureMaps.MLNet.Tests.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Tests.Cam;

/// <summary>The three classifiers the CAM tests use, with their input size and preprocessing, and a runner that reads the CAM columns.</summary>
internal static class CamModels
{
    public sealed record Classifier(string ModelPath, int Size, InputPreprocessing Preprocessing, string? InputModelPath = null)
    {
        public ClassActivationMapOptions Options(CamMethod method, int? target = null, string? layer = null, string? modelPath = null, int? patchSize = null) => new()
        {
            ModelPath = modelPath ?? ModelPath, InputModelPath = InputModelPath, Preprocessing = Preprocessing, Method = method, TargetClass = target, Layer = layer,
            PatchSize = patchSize, Stride = patchSize,
        };
    }

    public static Classifier Seed { get; } = new(TestData.SeedModel, 150, InputPreprocessing.Keras);

    public static Classifier SqueezeNet { get; } = new(TestData.Model("squeezenet1.0_fp16_winml.onnx"), 224, InputPreprocessing.Caffe);

    public static Classifier ResNet18 { get; } = new(TestData.Model("resnet18_cntk_mlnet.onnx"), 224, InputPreprocessing.Raw, TestData.Model("resnet18_cntk_mlnet_preprocess.onnx"));

    /// <summary>One image's map (row-major, <see cref="Height"/> x <see cref="Width"/>), target class and its probability.</summary>
    public sealed record Map(float[] Values, int Height, int Width, long Class, float Score)
    {
        /// <summary>The share of the map's total in the rows and columns given as fractions of the map (0..1).</summary>
        public double MassIn(double top, double left, double bottom, double right)
        {
            double inside = 0, total = 0;
            for (var y = 0; y < Height; y++)
                for (var x = 0; x < Width; x++)
                {
                    var v = Values[y * Width + x];
                    total += v;
                    var (cy, cx) = ((y + 0.5) / Height, (x + 0.5) / Width);
                    if (cy >= top && cy < bottom && cx >= left && cx < right) inside += v;
                }
            return inside / total;
        }

        /// <summary>Where the map is largest, as fractions of height and width (pixel centres).</summary>
        public (double Y, double X) Peak()
        {
            var index = Array.IndexOf(Values, Values.Max());
            return ((index / Width + 0.5) / Height, (index % Width + 0.5) / Width);
        }
    }

    public static IEstimator<ITransformer> Pipeline(MLContext ml, Classifier classifier, ClassActivationMapOptions options) =>
        ml.Transforms.LoadAndResize("Image", "ImagePath", classifier.Size, classifier.Size).Append(ml.Transforms.ClassActivationMap(options));

    public static Map[] Run(Classifier classifier, ClassActivationMapOptions options, params string[] images)
    {
        var ml = new MLContext();
        var data = SeedPipeline.Images(ml, images);
        return Read(Pipeline(ml, classifier, options).Fit(data).Transform(data));
    }

    public static Map[] Read(IDataView result, string column = ClassActivationMapOptions.Defaults.OutputColumnName)
    {
        var dims = ((VectorDataViewType)result.Schema[column].Type).Dimensions;
        var maps = result.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToList();
        var classes = result.GetColumn<VBuffer<long>>(column + "Class").Select(v => v.GetValues()[0]).ToList();
        var scores = result.GetColumn<VBuffer<float>>(column + "Score").Select(v => v.GetValues()[0]).ToList();
        return maps.Select((m, i) => new Map(m, dims[0], dims[1], classes[i], scores[i])).ToArray();
    }
}
