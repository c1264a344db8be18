using Microsoft.ML;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// The fitted pipelines of a <c>--native-size</c> run, one per input size: ML.NET fixes one vector size per pipeline, so
/// each distinct rounded image size needs its own. The most recently used few are kept (fitting costs a probe run of the
/// model); photos from one camera share a size, so a small cache serves a folder.
/// </summary>
internal sealed class NativeSizePipelines(MLContext ml, RunOptions options) : IDisposable
{
    /// <summary>Pipelines kept at once: each holds ONNX Runtime sessions with the model's weights.</summary>
    public const int Capacity = 4;

    private readonly LinkedList<(int Width, int Height, FeatureMapPipeline Pipeline)> _recent = new();

    /// <summary>The pipeline for a <paramref name="width"/> x <paramref name="height"/> model input, fitted on first use.</summary>
    public FeatureMapPipeline For(int width, int height)
    {
        for (var node = _recent.First; node is not null; node = node.Next)
            if (node.Value.Width == width && node.Value.Height == height)
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                return node.Value.Pipeline;
            }
        var pipeline = FeatureMapPipeline.Create(ml, options with { Width = width, Height = height });
        _recent.AddFirst((width, height, pipeline));
        if (_recent.Count > Capacity)
        {
            _recent.Last!.Value.Pipeline.Dispose();
            _recent.RemoveLast();
        }
        return pipeline;
    }

    public void Dispose()
    {
        foreach (var (_, _, pipeline) in _recent)
            pipeline.Dispose();
        _recent.Clear();
    }
}
