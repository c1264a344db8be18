using Microsoft.ML.OnnxRuntime;

namespace FeatureMaps.MLNet.Onnx;

/// <summary>Which ONNX Runtime execution providers this machine can use.</summary>
public static class ExecutionProviders
{
    /// <summary>
    /// Tries to start the CUDA execution provider on <paramref name="deviceId"/>. The fitted steps (like
    /// ML.NET's ONNX transformer) fall back to the CPU silently; callers use this to say so in one line.
    /// </summary>
    /// <returns>Null when CUDA can be used, else why not (missing CUDA/cuDNN libraries, no device).</returns>
    public static string? WhyCudaIsUnavailable(int deviceId = 0)
    {
        try
        {
            using var options = new SessionOptions();
            options.AppendExecutionProvider_CUDA(deviceId);
            return null;
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            return e.Message.Split('\n')[0].Trim();
        }
    }
}
