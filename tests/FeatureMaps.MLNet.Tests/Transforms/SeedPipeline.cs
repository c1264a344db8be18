using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Tests.Transforms;

/// <summary>The README pipeline on the bundled seed CNN, shared by the transform tests.</summary>
internal static class SeedPipeline
{
    public sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";
    }

    public static IDataView Images(MLContext ml, params string[] paths) =>
        ml.Data.LoadFromEnumerable(paths.Select(p => new ImageRow { ImagePath = p }));

    public static IEstimator<ITransformer> Build(MLContext ml, string? modelPath = null, int? channelsPerRow = null, int spacing = 0) =>
        ml.Transforms.LoadAndResize("Image", "ImagePath", width: 150, height: 150)
            .Append(ml.Transforms.ExtractLayerOutputs(modelPath ?? TestData.SeedModel, "Image"))
            .Append(ml.Transforms.NormalizeForDisplay())
            .Append(ml.Transforms.ComposeBelt(channelsPerRow, spacing));

    public static T[] First<T>(IDataView data, string column) where T : struct =>
        data.GetColumn<VBuffer<T>>(column).First().DenseValues().ToArray();

    public static int[] Dims(IDataView data, string column) =>
        ((VectorDataViewType)data.Schema[column].Type).Dimensions.ToArray();
}
