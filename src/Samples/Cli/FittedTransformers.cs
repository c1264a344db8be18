using Microsoft.ML;

namespace FeatureMaps.Samples.Cli;

/// <summary>Ends the life of a fitted pipeline the CLI made or loaded.</summary>
internal static class FittedTransformers
{
    /// <summary>
    /// Disposes every transformer of a (possibly nested) chain, so each ONNX Runtime session and file handle is released
    /// now rather than by a finalizer; ML.NET's chains are walked here instead of trusting them to pass it on.
    /// </summary>
    public static void DisposeAll(ITransformer model)
    {
        foreach (var transformer in Flatten(model))
            (transformer as IDisposable)?.Dispose();
    }

    /// <summary>A handle for a <c>using</c> statement that calls <see cref="DisposeAll"/>.</summary>
    public static IDisposable Owning(ITransformer model) => new Owner(model);

    private sealed class Owner(ITransformer model) : IDisposable
    {
        public void Dispose() => DisposeAll(model);
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer transformer) =>
        transformer is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [transformer];
}
