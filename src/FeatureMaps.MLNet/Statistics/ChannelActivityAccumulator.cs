namespace FeatureMaps.MLNet.Statistics;

/// <summary>
/// Channel statistics of one layer across a folder of images, gathered one image at a time in memory that does not grow
/// with the image count: per channel a sum of means, a sum of zero shares, whether it ever fired, and the
/// <see cref="TopImages"/> images on which its mean activation was highest.
/// </summary>
/// <remarks>
/// <para>
/// Feed it each image's <see cref="ChannelActivity"/> of the layer (measured from the <c>Layer.*</c> column of a row with
/// <see cref="ChannelActivity.Measure"/>), then call <see cref="Summarize"/>. Accumulators that saw disjoint parts of a
/// folder (threads, shards, machines) combine with <see cref="Merge"/>; the result does not depend on the order in which
/// images were added or parts merged, because equal means are ranked by image name.
/// </para>
/// <para>
/// The folder mean of a channel is the mean of its per-image means, which equals the mean over every activation when all
/// images have the layer's map size (as they do through one pipeline). An image whose channel mean is NaN makes that
/// channel's folder mean NaN and is never ranked. An image on which the channel is zero everywhere is not ranked either:
/// the channel did not fire on it. Each image should be added once; the accumulator does not keep the names it saw.
/// </para>
/// <para>Not thread-safe: use one per thread and <see cref="Merge"/> them.</para>
/// </remarks>
/// <example>
/// <code>
/// var conv = new ChannelActivityAccumulator(channels: 32);
/// foreach (var (path, activations) in rows)   // activations: the row's Layer.conv2d values, height x width x 32
///     conv.Add(path, ChannelActivity.Measure(activations, 32));
/// var summary = conv.Summarize();
/// Console.WriteLine($"{summary.DeadChannels} of 32 channels never fired on {summary.Images} images");
/// </code>
/// </example>
public sealed class ChannelActivityAccumulator
{
    /// <summary>Images ranked per channel unless the constructor is told otherwise.</summary>
    public const int DefaultTopImages = 5;

    private readonly double[] _meanSums;
    private readonly double[] _zeroShareSums;
    private readonly bool[] _fired;

    // Per channel, the best images so far in rank order: a sorted run of TopImages slots. For the few images kept a
    // sorted array beats a heap, and most images are rejected by one comparison with the last slot.
    private readonly float[] _topMeans;
    private readonly string?[] _topImages;
    private readonly int[] _topCounts;

    /// <param name="channels">The layer's channel count.</param>
    /// <param name="topImages">How many of the most activating images to keep per channel, 0 to 1000.</param>
    public ChannelActivityAccumulator(int channels, int topImages = DefaultTopImages)
    {
        Guard.Positive(channels);
        Guard.InRange(topImages, 0, 1000);
        (Channels, TopImages) = (channels, topImages);
        _meanSums = new double[channels];
        _zeroShareSums = new double[channels];
        _fired = new bool[channels];
        _topMeans = new float[channels * topImages];
        _topImages = new string?[channels * topImages];
        _topCounts = new int[channels];
    }

    /// <summary>The layer's channel count.</summary>
    public int Channels { get; }

    /// <summary>How many of the most activating images are kept per channel.</summary>
    public int TopImages { get; }

    /// <summary>Images added so far (merged ones included).</summary>
    public int Images { get; private set; }

    /// <summary>Adds one image.</summary>
    /// <param name="image">The image's name (a path, an id): what <see cref="RankedImage.Image"/> gives back.</param>
    /// <param name="activity">The image's activity on this layer.</param>
    public void Add(string image, ChannelActivity activity)
    {
        Guard.NotNullOrEmpty(image);
        Guard.NotNull(activity);
        Guard.IsTrue(activity.Channels == Channels, activity.Channels, "The activity must have the accumulator's channel count.");
        for (var c = 0; c < Channels; c++)
        {
            var mean = activity.Means[c];
            var zeroShare = activity.ZeroShares[c];
            _meanSums[c] += mean;
            _zeroShareSums[c] += zeroShare;
            var fired = zeroShare < 1;
            _fired[c] |= fired;
            if (fired && !float.IsNaN(mean))
                Offer(c, mean, image);
        }
        Images++;
    }

    /// <summary>Adds everything <paramref name="other"/> has seen, which must be other images of the same layer.</summary>
    public void Merge(ChannelActivityAccumulator other)
    {
        Guard.NotNull(other);
        if (ReferenceEquals(other, this))
            throw new ArgumentException("An accumulator cannot be merged into itself: its images would count twice.", nameof(other));
        if (other.Channels != Channels || other.TopImages != TopImages)
            throw new ArgumentException($"Cannot merge an accumulator of {other.Channels} channels keeping {other.TopImages} images into one of {Channels} channels keeping {TopImages}.", nameof(other));
        for (var c = 0; c < Channels; c++)
        {
            _meanSums[c] += other._meanSums[c];
            _zeroShareSums[c] += other._zeroShareSums[c];
            _fired[c] |= other._fired[c];
            for (var i = 0; i < other._topCounts[c]; i++)
                Offer(c, other._topMeans[c * TopImages + i], other._topImages[c * TopImages + i]!);
        }
        Images += other.Images;
    }

    /// <summary>The statistics of every channel over the images added so far.</summary>
    /// <remarks>With no images, means and zero shares are NaN and no channel counts as dead: nothing showed that it never fires.</remarks>
    public ChannelActivitySummary Summarize()
    {
        var channels = new ChannelActivityStatistics[Channels];
        for (var c = 0; c < Channels; c++)
        {
            var top = new RankedImage[_topCounts[c]];
            for (var i = 0; i < top.Length; i++)
                top[i] = new RankedImage(_topImages[c * TopImages + i]!, _topMeans[c * TopImages + i]);
            channels[c] = new ChannelActivityStatistics(
                c,
                Images > 0 ? _meanSums[c] / Images : double.NaN,
                Images > 0 ? _zeroShareSums[c] / Images : double.NaN,
                Images > 0 && !_fired[c],
                top);
        }
        return new ChannelActivitySummary(Images, channels);
    }

    /// <summary>Puts the image into the channel's ranking if it beats the last kept one.</summary>
    private void Offer(int channel, float mean, string image)
    {
        var start = channel * TopImages;
        var count = _topCounts[channel];
        var slot = count;
        while (slot > 0 && Ranks(mean, image, _topMeans[start + slot - 1], _topImages[start + slot - 1]!))
            slot--;
        if (slot >= TopImages)
            return;
        var last = Math.Min(count, TopImages - 1);
        Array.Copy(_topMeans, start + slot, _topMeans, start + slot + 1, last - slot);
        Array.Copy(_topImages, start + slot, _topImages, start + slot + 1, last - slot);
        _topMeans[start + slot] = mean;
        _topImages[start + slot] = image;
        _topCounts[channel] = Math.Min(count + 1, TopImages);
    }

    /// <summary>Whether (mean, image) ranks before (otherMean, otherImage): higher mean first, equal means by ordinal name.</summary>
    private static bool Ranks(float mean, string image, float otherMean, string otherImage) =>
        mean > otherMean || (mean == otherMean && string.CompareOrdinal(image, otherImage) < 0);
}
