using FeatureMaps.MLNet.Onnx;
using FeatureMaps.MLNet.Reading;
using FeatureMaps.MLNet.Rendering;
using FeatureMaps.MLNet.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.Samples.Cli;

/// <summary>One image's class activation map read off the cursor (a copy: the cursor reuses its buffers).</summary>
internal sealed record CamMap(float[] Values, int Height, int Width, string ClassName, float Score);

/// <summary>The report's record of an image's CAM overlay.</summary>
/// <param name="File">The overlay PNG, relative to the image folder.</param>
/// <param name="Method">How the map was made.</param>
/// <param name="ClassName">The class it explains (the predicted one).</param>
/// <param name="Score">That class's probability.</param>
internal sealed record CamResult(string File, string Method, string ClassName, float Score);

/// <summary>
/// The run's "where the network looks": an Eigen-CAM step appended to the run's pipeline for classifiers (a model whose
/// first output is a vector of class scores), one overlay per image drawn beside the belts and shown in the report.
/// Eigen-CAM reuses the layer's activations the run already has; Score-CAM and occlusion are left to <c>featuremaps cam</c>.
/// </summary>
internal static class ReportCam
{
    private const string Column = ClassActivationMapOptions.Defaults.OutputColumnName;
    private const string Method = "Eigen-CAM";

    /// <summary>
    /// The CAM step for the run, computed from the columns the run already has (the CAM layer's activations and the
    /// model's scores), so it costs no second run of the model; null when the model is not a classifier with feature
    /// maps to map, or when the run does not show the CAM's layer (e.g. <c>--layers conv2d</c>).
    /// </summary>
    public static IEstimator<ITransformer>? For(MLContext ml, string modelPath, RunOptions options, ExtractLayerOutputsEstimator layers)
    {
        ClassActivationMapEstimator cam;
        try
        {
            cam = ml.Transforms.ClassActivationMap(new ClassActivationMapOptions
            {
                ModelPath = modelPath, InputModelPath = options.InputModelPath, Preprocessing = options.Preprocessing, InputColumnName = FeatureMapPipeline.ImageColumn,
            });
        }
        catch (ArgumentException)
        {
            return null; // no output, or no 4-D layer larger than 1x1: nothing to map
        }
        var shown = layers.SelectedLayers.FirstOrDefault(l => l.Tensor == cam.Layer.Tensor);
        if (!LooksLikeClassScores(cam.Scores) || shown is null || !layers.ModelOutputs.Any(o => o.Tensor == cam.Scores.Tensor))
            return null;
        return ml.Transforms.ClassActivationMap(new ClassActivationMapOptions
        {
            ModelPath = modelPath, Layer = cam.Layer.Layer,
            ActivationsColumnName = layers.ColumnOf(shown), ScoresColumnName = ColumnPrefixes.Column(ColumnPrefixes.Output, cam.Scores.Tensor),
        });
    }

    /// <summary>[N, K] or [N, K, 1, 1]: what classifiers output. Detectors and image-to-image models output maps.</summary>
    private static bool LooksLikeClassScores(LayerTensor scores)
    {
        var shape = scores.Shape;
        return shape.Count >= 2 && shape[1].Size > 1 && shape.Skip(2).All(d => d.Size == 1);
    }

    /// <summary>Draws the overlay into the image folder; null when the job has no map.</summary>
    public static CamResult? Write(RenderJob job, string folder)
    {
        if (job.Cam is not { } cam)
            return null;
        var input = job.Input;
        var pixels = new float[input.Height * input.Width * input.Channels];
        var bytes = input.Span;
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = bytes[i];
        var title = $"{Method}: {cam.ClassName} ({cam.Score:P1})";
        // Through the CLI's atomic writer, so a full disk is reported like every other picture of the image.
        AtomicFiles.WriteAllBytes(Path.Combine(folder, OutputLayout.CamFile),
            CamPlot.RenderPng(cam.Values, cam.Height, cam.Width, pixels, input.Height, input.Width, input.Channels, title, scale: 1));
        return new CamResult(OutputLayout.CamFile, Method, cam.ClassName, cam.Score);
    }

    /// <summary>The getters of the CAM columns on the cursor's row.</summary>
    internal sealed class Columns
    {
        private readonly ValueGetter<VBuffer<float>> _map;
        private readonly ValueGetter<VBuffer<long>> _class;
        private readonly ValueGetter<VBuffer<float>> _score;
        private readonly int[] _dims;
        private VBuffer<float> _floats;
        private VBuffer<long> _longs;

        private Columns(DataViewRow row)
        {
            var schema = row.Schema;
            _map = row.GetGetter<VBuffer<float>>(schema[Column]);
            _class = row.GetGetter<VBuffer<long>>(schema[Column + "Class"]);
            _score = row.GetGetter<VBuffer<float>>(schema[Column + "Score"]);
            _dims = ((VectorDataViewType)schema[Column].Type).Dimensions.ToArray();
        }

        /// <summary>The CAM columns of a reader's pass, or null when that pass does not carry them (the reader puts them in the last).</summary>
        public static Columns? Find(PassRow pass) =>
            new[] { Column, Column + "Class", Column + "Score" }.All(name => pass.Columns.Any(c => c.Name == name)) ? new Columns(pass.Row) : null;

        public CamMap Read(IReadOnlyList<string> classNames)
        {
            _map(ref _floats);
            var values = _floats.DenseValues().ToArray();
            _class(ref _longs);
            var k = _longs.GetValues()[0];
            _score(ref _floats);
            var name = k < classNames.Count ? classNames[(int)k] : k.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new CamMap(values, _dims[0], _dims[1], name, _floats.GetValues()[0]);
        }
    }
}
