using FeatureMaps.MLNet.Onnx;

namespace FeatureMaps.MLNet.Transforms;

/// <summary>Options for <see cref="ClassActivationMapEstimator"/>.</summary>
public sealed class ClassActivationMapOptions
{
    /// <summary>Default values.</summary>
    public static class Defaults
    {
        /// <summary>The image column <c>LoadAndResize</c> writes by default.</summary>
        public const string InputColumnName = "Image";
        /// <summary>The map column; the target class and its probability go to <c>CamClass</c> and <c>CamScore</c>.</summary>
        public const string OutputColumnName = "Cam";
        /// <summary>Eigen-CAM: one model run per image.</summary>
        public const CamMethod Method = CamMethod.Eigen;
        /// <summary>Masked inputs per model run for Score-CAM and occlusion (the largest divisor of their count up to this).</summary>
        public const int MaxBatchSize = 32;
        /// <summary>Occlusion patches per image side when <see cref="PatchSize"/> is not given: the patch is the shorter side / 7.</summary>
        public const int PatchesPerSide = 7;
        /// <summary>Whether a missing CUDA device falls back to the CPU instead of failing.</summary>
        public const bool FallbackToCpu = true;
    }

    /// <summary>The ONNX classifier.</summary>
    public required string ModelPath { get; init; }

    /// <summary>An ONNX model run between the preprocessing and the main model, as <see cref="ExtractLayerOutputsOptions.InputModelPath"/>.</summary>
    public string? InputModelPath { get; init; }

    /// <summary>How pixels become model input; defaults to the tutorial's x/255.</summary>
    public InputPreprocessing Preprocessing { get; init; } = InputPreprocessing.Keras;

    /// <summary>The image column: float H x W x C, RGB(A) values 0..255.</summary>
    public string InputColumnName { get; init; } = Defaults.InputColumnName;

    /// <summary>The map column (float, layer height x width, values 0..1); <c>&lt;name&gt;Class</c> (long[1]) and <c>&lt;name&gt;Score</c> (float[1]) are added beside it.</summary>
    public string OutputColumnName { get; init; } = Defaults.OutputColumnName;

    /// <summary>The method.</summary>
    public CamMethod Method { get; init; } = Defaults.Method;

    /// <summary>The 4-D layer whose activations make the map (a name or glob matching one layer); null = the last 4-D layer larger than 1x1, the last feature maps before the classifier.</summary>
    public string? Layer { get; init; }

    /// <summary>The class whose evidence is mapped; null = the class the model predicts for each image.</summary>
    public int? TargetClass { get; init; }

    /// <summary>The model output holding the class scores; null = the model's first output.</summary>
    public string? ClassOutput { get; init; }

    /// <summary>
    /// Masked inputs per model run (Score-CAM, occlusion). A model whose graph fixes the batch at 1 runs one masked input
    /// at a time whatever this says; <see cref="ClassActivationMapEstimator.Plan"/> tells which.
    /// </summary>
    public int MaxBatchSize { get; init; } = Defaults.MaxBatchSize;

    /// <summary>Occlusion: the patch side in input pixels; null = the shorter side / <see cref="Defaults.PatchesPerSide"/>.</summary>
    public int? PatchSize { get; init; }

    /// <summary>Occlusion: pixels between patch positions; null = half the patch.</summary>
    public int? Stride { get; init; }

    /// <summary>
    /// Eigen-CAM only: take the layer's activations from this column (float H x W x C, e.g. <c>Layer.conv2d</c> of an
    /// <c>ExtractLayerOutputs</c> step earlier in the pipeline) instead of running the model again. Needs
    /// <see cref="ScoresColumnName"/> too; the model file then only tells whether its scores are probabilities.
    /// </summary>
    public string? ActivationsColumnName { get; init; }

    /// <summary>With <see cref="ActivationsColumnName"/>: the column holding the model's class scores (e.g. <c>Output.dense_2</c>).</summary>
    public string? ScoresColumnName { get; init; }

    /// <summary>Overrides the inferred NCHW/NHWC layout for named tensors.</summary>
    public IReadOnlyDictionary<string, TensorLayout>? LayoutOverrides { get; init; }

    /// <summary>ONNX Runtime threads inside one run; null = one per core.</summary>
    public int? IntraOpThreads { get; init; }

    /// <summary>The CUDA device to run on, or null for the CPU.</summary>
    public int? GpuDeviceId { get; init; }

    /// <summary>Fall back to the CPU when the CUDA device cannot be used.</summary>
    public bool FallbackToCpu { get; init; } = Defaults.FallbackToCpu;
}
