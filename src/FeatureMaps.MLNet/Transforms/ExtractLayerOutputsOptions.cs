using FeatureMaps.MLNet.Onnx;

namespace FeatureMaps.MLNet.Transforms;

/// <summary>Options for <see cref="ExtractLayerOutputsEstimator"/>.</summary>
public sealed class ExtractLayerOutputsOptions
{
    /// <summary>Default values.</summary>
    public static class Defaults
    {
        /// <summary>The image column <c>LoadAndResize</c> writes by default.</summary>
        public const string InputColumnName = "Image";
        /// <summary>Whether the model's own outputs (e.g. class probabilities) become columns too.</summary>
        public const bool IncludeModelOutputs = true;
        /// <summary>Whether a missing CUDA device falls back to the CPU instead of failing.</summary>
        public const bool FallbackToCpu = true;
    }

    /// <summary>The ONNX model file.</summary>
    public required string ModelPath { get; init; }

    /// <summary>The image column: float H x W x C, RGB(A) values 0..255 in model-independent HWC order.</summary>
    public string InputColumnName { get; init; } = Defaults.InputColumnName;

    /// <summary>Which layers become columns (see <see cref="LayerSelector"/>); null = every 4-D layer, as the tutorial.</summary>
    public IReadOnlyList<string>? Layers { get; init; }

    /// <summary>
    /// An ONNX model run between the preprocessing and the main model, inside the same graph (e.g.
    /// <c>resnet18_cntk_mlnet_preprocess.onnx</c>, which swaps channels and subtracts a mean image).
    /// Its single output feeds the main model's input; <see cref="Preprocessing"/> then prepares its input.
    /// </summary>
    public string? InputModelPath { get; init; }

    /// <summary>How pixels become model input; defaults to the tutorial's x/255.</summary>
    public InputPreprocessing Preprocessing { get; init; } = InputPreprocessing.Keras;

    /// <summary>Also expose the model's own outputs as <c>Output.*</c> columns.</summary>
    public bool IncludeModelOutputs { get; init; } = Defaults.IncludeModelOutputs;

    /// <summary>Overrides the inferred NCHW/NHWC layout for named tensors.</summary>
    public IReadOnlyDictionary<string, TensorLayout>? LayoutOverrides { get; init; }

    /// <summary>
    /// ONNX Runtime threads inside one run of the model; null = one per core (ORT's default). ML.NET may
    /// already run rows on several threads, so 1 is often faster on small CPUs; see the README's Performance section.
    /// </summary>
    public int? IntraOpThreads { get; init; }

    /// <summary>
    /// The most bytes of layer activations (float32, height x width x channels x 4 per layer) one run of the model may
    /// fetch; null = no limit, one run per image. When the selected layers exceed it, the fitted form runs the model in
    /// several passes per image (<see cref="Reading.ActivationPasses.Plan"/>), each exposing only its layers, and a
    /// <see cref="Reading.FeatureMapReader"/> given the same budget reads one pass at a time, so the activations of one
    /// pass are freed before the next is computed. Each pass recomputes the network up to its deepest layer.
    /// </summary>
    public long? MaxActivationBytes { get; init; }

    /// <summary>The CUDA device to run on, or null for the CPU.</summary>
    public int? GpuDeviceId { get; init; }

    /// <summary>Fall back to the CPU when the CUDA device cannot be used.</summary>
    public bool FallbackToCpu { get; init; } = Defaults.FallbackToCpu;
}
