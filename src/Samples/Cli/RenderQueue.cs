using System.Threading.Channels;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// Renders images on background workers while the cursor thread runs the network on the next ones. The queue is
/// bounded: when rendering falls behind, the cursor waits instead of piling up belt copies, so memory stays flat.
/// </summary>
internal sealed class RenderQueue : IDisposable
{
    private readonly Channel<RenderJob> _channel;
    private readonly Task[] _workers;

    /// <param name="capacity">Jobs waiting at most.</param>
    /// <param name="workers">Concurrent renderers.</param>
    /// <param name="render">Renders one job; runs on a worker thread. The queue disposes the job afterwards.</param>
    public RenderQueue(int capacity, int workers, Action<RenderJob> render)
    {
        _channel = Channel.CreateBounded<RenderJob>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
            SingleReader = workers == 1,
        });
        _workers = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            await foreach (var job in _channel.Reader.ReadAllAsync())
            {
                using (job)
                    render(job);
            }
        })).ToArray();
    }

    /// <summary>
    /// Two renderers where there are two cores: drawing and encoding the pictures of an image takes far longer than
    /// running a small CNN on it (seed model: about 80 ms of CPU against about 20 ms; about 220 ms before the render path
    /// was made cheaper), so the cursor thread mostly waits and a second renderer gives about 1.5 times the throughput
    /// (measured on two cores with the slower render path). More would compete with ONNX Runtime's threads on big models.
    /// </summary>
    public static int DefaultWorkers => Math.Clamp(Environment.ProcessorCount, 1, 2);

    /// <summary>Queues a job, waiting while the queue is full. Throws what a worker threw, if one has stopped.</summary>
    public void Enqueue(RenderJob job)
    {
        while (!_channel.Writer.TryWrite(job))
        {
            var failed = _workers.FirstOrDefault(w => w.IsFaulted);
            if (failed is not null)
            {
                job.Dispose();
                failed.GetAwaiter().GetResult();
            }
            // Wake up now and then to notice a worker that died while the queue was full.
            _channel.Writer.WaitToWriteAsync().AsTask().Wait(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Lets the workers finish what is queued and waits for them; rethrows a worker's failure as it was thrown.</summary>
    public void Complete()
    {
        _channel.Writer.TryComplete();
        foreach (var worker in _workers)
            worker.GetAwaiter().GetResult();
    }

    /// <summary>On an error path (when <see cref="Complete"/> was not reached): stops taking jobs and lets the queued
    /// ones finish, since each of them is a whole image.</summary>
    public void Dispose()
    {
        if (_channel.Writer.TryComplete())
        {
            try
            {
                Task.WaitAll(_workers);
            }
            catch (AggregateException)
            {
                // Dispose runs only when the run already failed; that first error is the one reported.
            }
        }
    }
}
