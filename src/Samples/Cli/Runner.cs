using System.Globalization;
using FeatureMaps.MLNet.Onnx;
using FeatureMaps.MLNet.Imaging;
using FeatureMaps.MLNet.Reading;
using Microsoft.ML;
using Microsoft.ML.Transforms.Onnx;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// A run: images streamed lazily through the fitted pipeline one row at a time, pictures rendered on a bounded background
/// queue, a <c>done.json</c> per image as its completion marker, and at the end a summary (plus <c>index.html</c> for an
/// unsharded run) built by reading the markers back, one at a time.
/// </summary>
internal static class Runner
{
    private const int QueueCapacity = 4;

    public static int Run(RunOptions options)
    {
        var started = DateTimeOffset.UtcNow;
        var layout = new OutputLayout(options.OutPath);
        var catalog = new ImageCatalog(options.ImagesPath, options.Recursive, excluded: layout.Root);
        if (!catalog.Enumerate(Shard.All).Any())
            throw new ArgumentException($"No images ({string.Join(", ", ImageCatalog.Extensions)}) in '{catalog.Root}'{(options.Recursive ? "" : "; add --recursive to include subfolders")}.");

        layout.CreateWritable();
        using var runLock = RunLock.Acquire(layout, options.Shard);
        var summaryFile = OutputLayout.SummaryFileOf(options.Shard);
        AtomicFiles.DeleteTemporaries(layout.Root, summaryFile);
        if (!options.Shard.IsPartial)
            AtomicFiles.DeleteTemporaries(layout.Root, OutputLayout.IndexFile);
        if (!options.Resume && !options.Overwrite)
            RefuseEarlierResults(catalog, layout, options.Shard);

        var ml = new MLContext();
        if (options.MaxActivationBytes is not null)
            // ONNX Runtime's CPU arena keeps each session's largest allocation for the session's life, so the
            // activations of every pass would stay reserved side by side: without it, a pass's memory is freed.
            ml.SetOnnxSessionOption(new OnnxSessionOptions { EnableCpuMemArena = false });
        // Under --native-size the pipeline made here (at ten multiples a side) gives the settings and source that all sizes share.
        using var natives = options.NativeSizeMultiple is not null ? new NativeSizePipelines(ml, options) : null;
        var nominal = 10 * (options.NativeSizeMultiple ?? 0);
        using var single = natives is null ? FeatureMapPipeline.Create(ml, options) : null;
        var pipeline = single ?? natives!.For(nominal, nominal);
        if (options.SavePipelinePath is { } savePath)
            pipeline.Save(ml, savePath);

        var total = catalog.Enumerate(options.Shard).Count();
        var (resumed, processed) = (0, 0);
        var vanished = new List<ImageRecord>();
        Progress.Run(total, progress =>
        {
            Process(ml, options, pipeline, natives, catalog, layout, progress, vanished);
            (resumed, processed) = (progress.Resumed, progress.Ok + progress.Failed);
        });

        // Images deleted while the run went on are no longer in the folder, but their failure is part of this run:
        // they close the list instead of vanishing from the report.
        var records = catalog.Enumerate(options.Shard).Select(image => ReadRecord(layout, image, pipeline.Settings))
            .Concat(vanished.Where(record => !Path.Exists(Path.Combine(catalog.Root, record.Path))));
        var (images, ok, failed, layers) = ReportFiles.Survey(records, layout);
        var run = new RunTotals
        {
            Shard = options.Shard.IsPartial ? options.Shard.ToString() : null,
            Source = pipeline.Source,
            Images = images, Ok = ok, Failed = failed, Processed = processed, Resumed = resumed,
            StartedUtc = started, FinishedUtc = DateTimeOffset.UtcNow,
        };
        var summaryPath = Path.Combine(layout.Root, summaryFile);
        var htmlPath = options.Shard.IsPartial ? null : Path.Combine(layout.Root, OutputLayout.IndexFile);
        ReportFiles.Write(run, records, summaryPath, htmlPath, layers);

        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{images} images: {ok} ok, {failed} failed ({processed} processed, {resumed} resumed) in {run.WallSeconds:0.0} s, {run.ImagesPerSecond:0.00} images/s."));
        Console.Out.WriteLine(htmlPath is not null
            ? $"Report: {htmlPath}"
            : $"Shard {options.Shard} summary: {summaryPath}\nWhen every shard has finished: featuremaps report --out \"{layout.Root}\"");
        return failed > 0 ? ExitCodes.FinishedWithFailures : ExitCodes.Success;
    }

    private static void Process(MLContext ml, RunOptions options, FeatureMapPipeline pipeline, NativeSizePipelines? natives, ImageCatalog catalog,
        OutputLayout layout, Progress progress, List<ImageRecord> vanished)
    {
        var writer = new ImageOutputWriter(layout, options, pipeline.Settings);
        // The resume check sits inside the lazy enumeration: complete images never reach the pipeline.
        var pending = catalog.Enumerate(options.Shard)
            .Where(image =>
            {
                if (!options.Resume || ReadRecord(layout, image, pipeline.Settings) is not { Status: ImageStatus.Ok } record || record.Settings != pipeline.Settings)
                    return true;
                progress.Skipped();
                return false;
            })
            .Select(image => image.FullPath);

        using var queue = new RenderQueue(QueueCapacity, RenderQueue.DefaultWorkers, job =>
        {
            ImageRecord record;
            try
            {
                record = writer.Write(job);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // One picture that cannot be drawn or written (a full disk) costs that image, not the run. When even
                // its done.json cannot be written, that error stops the run, naming the file.
                record = writer.WriteFailed(job.Image, e is OutputWriteException ? e.Message : $"Rendering failed: {e.Message}", job.InferenceMs);
            }
            Count(progress, record);
        });
        void Fail(CatalogImage image, string error, double milliseconds)
        {
            var failed = writer.WriteFailed(image, error, milliseconds);
            if (!Path.Exists(image.FullPath))
                vanished.Add(failed);
            Count(progress, failed);
        }

        void Consume(CursorRow row)
        {
            if (row.Job is { } job)
                queue.Enqueue(job);
            else
                Fail(row.Image, row.Error ?? "", row.Milliseconds);
        }

        if (natives is not null)
        {
            // One image at a time through the pipeline of its own size.
            foreach (var path in pending)
            {
                FeatureMapPipeline sized;
                try
                {
                    var (width, height) = NativeSize.Of(path, options.NativeSizeMultiple!.Value);
                    sized = natives.For(width, height);
                }
                // An unreadable image, a size above the limit, or a size the model cannot run costs that image, not the run.
                catch (Exception e) when (e is ImageLoadException or ArgumentOutOfRangeException or OnnxModelException or InvalidDataException or InvalidOperationException)
                {
                    Fail(catalog.Resolve(path), e.Message, 0);
                    continue;
                }
                using var cursor = new FeatureMapCursor(sized.Input(ml, [path]), sized, catalog, options.MaxActivationBytes);
                while (cursor.Next() is { } row)
                    Consume(row);
            }
            queue.Complete();
            return;
        }
        using (var cursor = new FeatureMapCursor(pipeline.Input(ml, pending), pipeline, catalog, options.MaxActivationBytes))
        {
            if (cursor.Passes.Count > 1)
                Console.Error.WriteLine($"Memory budget {ActivationPasses.Megabytes(options.MaxActivationBytes ?? 0)}: {cursor.Passes.Sum(p => p.Layers.Count)} layers ({ActivationPasses.Megabytes(cursor.Passes.Sum(p => p.Bytes))}) in {cursor.Passes.Count} passes per image.");
            foreach (var warning in cursor.Warnings)
                Console.Error.WriteLine($"warning: {warning}");
            while (cursor.Next() is { } row)
                Consume(row);
        }
        queue.Complete();
    }

    private static void Count(Progress progress, ImageRecord record)
    {
        if (record.Status != ImageStatus.Ok)
            progress.Error($"{record.Path}: {record.Error}");
        progress.Completed(record.Status);
    }

    /// <summary>The record of an image; one with no <c>done.json</c> (it cannot happen after a finished run) counts as failed.</summary>
    private static ImageRecord ReadRecord(OutputLayout layout, CatalogImage image, string settings) =>
        ImageRecord.TryRead(layout.DoneFileOf(image.RelativePath))
        ?? ImageRecord.Failed(image, settings, "No result: the run stopped before this image was finished.", 0);

    /// <summary>
    /// Without --resume or --overwrite an earlier run's results are not silently mixed with or replaced by this one's.
    /// Only this shard's images are checked, so shards started together into one folder do not refuse each other.
    /// </summary>
    private static void RefuseEarlierResults(ImageCatalog catalog, OutputLayout layout, Shard shard)
    {
        var earlier = catalog.Enumerate(shard).FirstOrDefault(image => File.Exists(layout.DoneFileOf(image.RelativePath)));
        if (earlier is not null)
            throw new ArgumentException(
                $"'{layout.Root}' already holds results of an earlier run (e.g. for '{earlier.RelativePath}'). Add --resume to finish it, --overwrite to redo every image, or choose another --out.");
    }
}
