using System.Diagnostics;
using Google.Protobuf;
using FeatureMaps.MLNet.Execution;
using FeatureMaps.MLNet.Rendering;
using Microsoft.ML;
using Onnx;

namespace FeatureMaps.MLNet.Onnx;

/// <summary>
/// Writes a generated graph to a file in a temp folder of this process, removed when the
/// process exits.
/// </summary>
/// <remarks>
/// ML.NET takes a graph either as a file or as bytes. Given bytes, it writes its own copy into the temp folder and
/// (ML.NET 5.0.1, measured) leaves it there even after the fitted transformer is disposed: one model-sized file per
/// fit, for ever. Given a file it does not. A fitted step reads its file again only to be saved (as ML.NET's own
/// transformer, made from the file), so the file lives as long as its <see cref="GraphTransformer"/>, which removes
/// it when disposed. Hence one folder per process
/// (<c>$TMPDIR/featuremaps-graphs/&lt;pid&gt;-&lt;id&gt;</c>) deleted at process exit, and folders of processes
/// that no longer run (killed ones) swept, an hour later, when a process makes its folder.
/// </remarks>
internal static class GeneratedGraphFile
{
    private static readonly Lazy<string> ProcessFolder = new(CreateProcessFolder);

    /// <summary>This process's folder of graph files.</summary>
    internal static string Folder => ProcessFolder.Value;

    /// <summary>
    /// A folder is swept only when its process is gone and it is older than this: containers that share a temp folder
    /// but not process ids cannot tell each other's processes apart, and a fit writes into its folder at once.
    /// </summary>
    private static readonly TimeSpan SweepAge = TimeSpan.FromHours(1);

    /// <summary>
    /// An estimator that runs <paramref name="graph"/> on the rows (through ONNX Runtime directly, see
    /// <see cref="GraphTransformer"/>) and saves as ML.NET's own ONNX transformer over the same file.
    /// </summary>
    public static IEstimator<ITransformer> Apply(TransformsCatalog catalog, ModelProto graph, IEnumerable<string> inputs, IEnumerable<string> outputs,
        int? intraOpThreads, int? gpuDeviceId = null, bool fallbackToCpu = true)
    {
        var path = Write(graph.ToByteArray());
        var kinds = graph.Graph.Output.ToDictionary(o => o.Name, o => (TensorElementKind)o.Type.TensorType.ElemType);
        return new GraphEstimator(catalog, path, inputs.ToList(), outputs.Select(o => (o, kinds[o])).ToList(),
            SessionSettings.For(catalog, intraOpThreads, gpuDeviceId, fallbackToCpu));
    }

    /// <summary>Writes graph bytes to a new file of this process's folder; returns its path.</summary>
    public static string Write(byte[] graph)
    {
        var path = Path.Combine(ProcessFolder.Value, $"{Guid.NewGuid():N}.onnx");
        // Atomic, so a full temp folder is an error naming the file, never a half-written graph.
        AtomicFile.WriteAllBytes(path, graph);
        return path;
    }

    private static string CreateProcessFolder()
    {
        var root = Path.Combine(Path.GetTempPath(), "featuremaps-graphs");
        SweepFoldersOfEndedProcesses(root);
        var folder = Directory.CreateDirectory(Path.Combine(root, $"{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(folder);
        return folder;
    }

    private static void SweepFoldersOfEndedProcesses(string root)
    {
        if (!Directory.Exists(root))
            return;
        foreach (var folder in Directory.EnumerateDirectories(root))
        {
            var name = Path.GetFileName(folder);
            var dash = name.IndexOf('-');
            if (dash > 0 && int.TryParse(name.AsSpan(0, dash), out var pid) && !IsRunning(pid)
                && DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) > SweepAge)
                TryDelete(folder);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Removes one graph file whose transformer has ended; the process folder goes at exit as before.</summary>
    public static void Release(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { /* removed with the folder at exit */ }
        catch (UnauthorizedAccessException) { /* likewise */ }
    }

    private static void TryDelete(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { /* in use or already gone: the next sweep retries */ }
        catch (UnauthorizedAccessException) { /* another user's process: not ours to remove */ }
    }
}
