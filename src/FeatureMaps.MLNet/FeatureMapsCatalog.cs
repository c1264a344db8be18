using FeatureMaps.MLNet.Imaging;
using FeatureMaps.MLNet.Transforms;

// Same namespace as ML.NET's own catalogs, so `mlContext.Transforms.LoadAndResize(...)` is found with no extra using.
namespace Microsoft.ML;

/// <summary>
/// The FeatureMaps estimators on <c>mlContext.Transforms</c>. Chained, they turn image paths into
/// per-layer feature-map belts:
/// <code>
/// var ml = new MLContext();
/// var pipeline = ml.Transforms.LoadAndResize("Image", "ImagePath", width: 150, height: 150)
///     .Append(ml.Transforms.ExtractLayerOutputs("models/seed-cnn.onnx", "Image"))
///     .Append(ml.Transforms.NormalizeForDisplay())
///     .Append(ml.Transforms.ComposeBelt());
/// var model = pipeline.Fit(images);              // Belt.conv2d, Belt.max_pooling2d, ...
/// ml.Model.Save(model, images.Schema, "featuremaps.zip");
/// </code>
/// </summary>
public static class FeatureMapsCatalog
{
    /// <summary>Loads the images named in <paramref name="inputColumnName"/> and resizes them to <paramref name="width"/> x <paramref name="height"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The pixel column: float height x width x channels, RGB 0..255.</param>
    /// <param name="inputColumnName">A text column of file paths.</param>
    /// <param name="width">Target width.</param>
    /// <param name="height">Target height.</param>
    /// <param name="mode">Stretch (Keras' <c>target_size</c>), Pad or CropCenter.</param>
    /// <param name="channels">1, 3 or 4; the model's channel count.</param>
    /// <param name="imageFolder">Folder for relative paths.</param>
    /// <remarks>Errors per image land in the column <c>&lt;outputColumnName&gt;Error</c> instead of stopping the pass.</remarks>
    public static LoadAndResizeEstimator LoadAndResize(this TransformsCatalog catalog, string outputColumnName, string inputColumnName,
        int width, int height, ResizeMode mode = LoadAndResizeOptions.Defaults.Mode, int channels = LoadAndResizeOptions.Defaults.Channels, string? imageFolder = null)
        => new(catalog, new LoadAndResizeOptions
        {
            OutputColumnName = outputColumnName, InputColumnName = inputColumnName, Width = width, Height = height,
            Mode = mode, Channels = channels, ImageFolder = imageFolder,
        });

    /// <summary>Loads and resizes images with full <paramref name="options"/>.</summary>
    public static LoadAndResizeEstimator LoadAndResize(this TransformsCatalog catalog, LoadAndResizeOptions options) => new(catalog, options);

    /// <summary>
    /// Runs the ONNX model at <paramref name="modelPath"/> on <paramref name="inputColumnName"/> and adds one
    /// <c>Layer.&lt;name&gt;</c> column (float H x W x C) per selected layer plus <c>Output.&lt;name&gt;</c> columns.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="modelPath">The ONNX model.</param>
    /// <param name="inputColumnName">The image column.</param>
    /// <param name="layers">Layer names, globs, <c>op:Conv</c>, <c>#0-5</c>; null = every 4-D layer.</param>
    /// <param name="preprocessing">Pixel preprocessing; null = the tutorial's x/255 (<see cref="InputPreprocessing.Keras"/>).</param>
    public static ExtractLayerOutputsEstimator ExtractLayerOutputs(this TransformsCatalog catalog, string modelPath,
        string inputColumnName = ExtractLayerOutputsOptions.Defaults.InputColumnName, IReadOnlyList<string>? layers = null, InputPreprocessing? preprocessing = null)
        => new(catalog, new ExtractLayerOutputsOptions
        {
            ModelPath = modelPath, InputColumnName = inputColumnName, Layers = layers, Preprocessing = preprocessing ?? InputPreprocessing.Keras,
        });

    /// <summary>Runs an ONNX model with full <paramref name="options"/>.</summary>
    public static ExtractLayerOutputsEstimator ExtractLayerOutputs(this TransformsCatalog catalog, ExtractLayerOutputsOptions options) => new(catalog, options);

    /// <summary>
    /// Normalizes every <c>Layer.*</c> column into display bytes (<c>Display.*</c>), by default with the
    /// tutorial's <c>(x - mean) / std * 64 + 128</c> per channel.
    /// </summary>
    public static NormalizeForDisplayEstimator NormalizeForDisplay(this TransformsCatalog catalog,
        NormalizationMode mode = NormalizeForDisplayOptions.Defaults.Mode, NormalizationScope scope = NormalizeForDisplayOptions.Defaults.Scope)
        => new(catalog, new NormalizeForDisplayOptions { Mode = mode, Scope = scope });

    /// <summary>Normalizes for display with full <paramref name="options"/>.</summary>
    public static NormalizeForDisplayEstimator NormalizeForDisplay(this TransformsCatalog catalog, NormalizeForDisplayOptions options) => new(catalog, options);

    /// <summary>Places the channels of every <c>Display.*</c> column side by side into a <c>Belt.*</c> column (or a grid).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="channelsPerRow">Tiles per row; null = one strip, the tutorial's belt.</param>
    /// <param name="spacing">Pixels between tiles.</param>
    public static ComposeBeltEstimator ComposeBelt(this TransformsCatalog catalog, int? channelsPerRow = null, int spacing = ComposeBeltOptions.Defaults.Spacing)
        => new(catalog, new ComposeBeltOptions { ChannelsPerRow = channelsPerRow, Spacing = spacing });

    /// <summary>Composes belts with full <paramref name="options"/>.</summary>
    public static ComposeBeltEstimator ComposeBelt(this TransformsCatalog catalog, ComposeBeltOptions options) => new(catalog, options);

    /// <summary>
    /// Adds a class activation map per image: where the ONNX classifier at <paramref name="modelPath"/> looked for its
    /// answer. Writes <c>Cam</c> (float, layer height x width, 0..1), <c>CamClass</c> (long[1]) and <c>CamScore</c> (float[1]).
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="modelPath">The ONNX classifier.</param>
    /// <param name="inputColumnName">The image column.</param>
    /// <param name="method">Eigen-CAM (one run, class-agnostic), Score-CAM (one run per channel) or occlusion (one run per patch position).</param>
    /// <param name="targetClass">The class to explain; null = the predicted one.</param>
    /// <param name="layer">The 4-D layer to use; null = the last one larger than 1x1 (the last feature maps before the classifier).</param>
    /// <param name="preprocessing">Pixel preprocessing; null = the tutorial's x/255.</param>
    /// <remarks>
    /// Gradient-free: ONNX Runtime computes no gradients, so Grad-CAM is not offered. Render the map over the photo
    /// with <c>CamPlot.SavePng</c>. The fitted step saves and loads like the others.
    /// <code>
    /// var pipeline = ml.Transforms.LoadAndResize("Image", "ImagePath", width: 224, height: 224)
    ///     .Append(ml.Transforms.ClassActivationMap("squeezenet.onnx", method: CamMethod.Score, targetClass: 285,
    ///         preprocessing: InputPreprocessing.Caffe));
    /// </code>
    /// </remarks>
    public static ClassActivationMapEstimator ClassActivationMap(this TransformsCatalog catalog, string modelPath,
        string inputColumnName = ClassActivationMapOptions.Defaults.InputColumnName, CamMethod method = ClassActivationMapOptions.Defaults.Method,
        int? targetClass = null, string? layer = null, InputPreprocessing? preprocessing = null)
        => new(catalog, new ClassActivationMapOptions
        {
            ModelPath = modelPath, InputColumnName = inputColumnName, Method = method, TargetClass = targetClass, Layer = layer,
            Preprocessing = preprocessing ?? InputPreprocessing.Keras,
        });

    /// <summary>Adds class activation maps with full <paramref name="options"/>.</summary>
    public static ClassActivationMapEstimator ClassActivationMap(this TransformsCatalog catalog, ClassActivationMapOptions options) => new(catalog, options);
}
