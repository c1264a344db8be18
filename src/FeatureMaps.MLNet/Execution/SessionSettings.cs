using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Onnx;

namespace FeatureMaps.MLNet.Execution;

/// <summary>
/// How a generated graph's ONNX Runtime session is made: the context's <c>MLContext.SetOnnxSessionOption</c> settings
/// (as ML.NET's own transformer would apply them), then this library's thread count and execution provider.
/// </summary>
internal sealed record SessionSettings(int? IntraOpThreads, int? GpuDeviceId, bool FallbackToCpu, OnnxSessionOptions? Context)
{
    // ML.NET keeps a catalog's MLContext in a private field; the session options a user set on the context are
    // reachable only through it. A test (SessionOptionsReachTheGraphs) fails if a later ML.NET renames it.
    private static readonly FieldInfo? CatalogEnvironment =
        typeof(TransformsCatalog).GetField("_env", BindingFlags.Instance | BindingFlags.NonPublic);

    public static SessionSettings For(TransformsCatalog catalog, int? intraOpThreads, int? gpuDeviceId, bool fallbackToCpu) =>
        new(intraOpThreads, gpuDeviceId, fallbackToCpu, ContextOptions(catalog));

    private static OnnxSessionOptions? ContextOptions(TransformsCatalog catalog)
    {
        if (CatalogEnvironment?.GetValue(catalog) is not IHostEnvironment environment)
            return null;
        try
        {
            return environment.GetOnnxSessionOption();
        }
        catch (ArgumentException)
        {
            return null; // an environment that cannot hold options: ML.NET's defaults
        }
    }

    /// <summary>Opens the graph; without a usable GPU it runs on the CPU when <see cref="FallbackToCpu"/> allows.</summary>
    public InferenceSession Open(string graphPath)
    {
        if (GpuDeviceId is { } device)
        {
            var options = Build();
            try
            {
                options.AppendExecutionProvider_CUDA(device);
                return new InferenceSession(graphPath, options);
            }
            catch (Exception e) when (FallbackToCpu && e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
            {
                // The caller says so in one line (ExecutionProviders.WhyCudaIsUnavailable); here the CPU takes over.
            }
            finally
            {
                options.Dispose();
            }
        }
        using var cpu = Build();
        return new InferenceSession(graphPath, cpu);
    }

    private SessionOptions Build()
    {
        var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        if (Context is { } c)
        {
            options.EnableMemoryPattern = c.EnableMemoryPattern;
            options.EnableCpuMemArena = c.EnableCpuMemArena;
            // ONNX Runtime reads the prefix when profiling is switched on, so it comes first.
            if (c.ProfileOutputPathPrefix is { } prefix) options.ProfileOutputPathPrefix = prefix;
            options.EnableProfiling = c.EnableProfiling;
            if (c.OptimizedModelFilePath is { } optimized) options.OptimizedModelFilePath = optimized;
            if (c.LogId is { } logId) options.LogId = logId;
            options.LogSeverityLevel = c.LogSeverityLevel;
            options.LogVerbosityLevel = c.LogVerbosityLevel;
            options.IntraOpNumThreads = c.IntraOpNumThreads;
            options.InterOpNumThreads = c.InterOpNumThreads;
            options.GraphOptimizationLevel = c.GraphOptimizationLevel;
            options.ExecutionMode = c.ExecutionMode;
        }
        if (IntraOpThreads is { } threads)
        {
            options.IntraOpNumThreads = threads;
            options.InterOpNumThreads = 1;
        }
        return options;
    }
}
