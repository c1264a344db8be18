using FeatureMaps.MLNet.Onnx;

namespace FeatureMaps.Samples.Cli;

/// <summary>Turns the errors a user can cause into one clear line on stderr and exit code 1, instead of a stack trace.</summary>
internal static class CliErrors
{
    public static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is OnnxModelException or ArgumentException or InvalidDataException or NotSupportedException
                                      or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.UsageOrModelError;
        }
    }
}
