namespace FeatureMaps.MLNet.Transforms;

/// <summary>Channel order a model expects its colour input in.</summary>
public enum ChannelOrder
{
    /// <summary>Red, green, blue (Keras, PyTorch).</summary>
    Rgb,
    /// <summary>Blue, green, red (Caffe, OpenCV).</summary>
    Bgr,
}

/// <summary>
/// How pixel values 0..255 become the numbers a model was trained on:
/// <c>y = (x * Scale - Mean) / Std</c> per channel, after reordering channels.
/// <see cref="Scale"/>, <see cref="Mean"/> and <see cref="Std"/> are listed in the model's channel order;
/// a single value applies to every channel.
/// </summary>
public sealed record InputPreprocessing(string Name, ChannelOrder Order, float[] Scale, float[] Mean, float[] Std)
{
    /// <summary>Keras' <c>rescale=1./255</c>, the tutorial's: RGB, x/255.</summary>
    public static InputPreprocessing Keras { get; } = new("keras", ChannelOrder.Rgb, [1f / 255], [0f], [1f]);

    /// <summary>TensorFlow's "tf" mode: RGB, x/127.5 - 1 (MobileNet, BlazeFace).</summary>
    public static InputPreprocessing Tf { get; } = new("tf", ChannelOrder.Rgb, [1f / 127.5f], [1f], [1f]);

    /// <summary>Caffe's mode: BGR, 0..255 minus the ImageNet BGR mean (103.939, 116.779, 123.68).</summary>
    public static InputPreprocessing Caffe { get; } = new("caffe", ChannelOrder.Bgr, [1f], [103.939f, 116.779f, 123.68f], [1f]);

    /// <summary>torchvision's ImageNet normalization: RGB, (x/255 - mean) / std.</summary>
    public static InputPreprocessing Torch { get; } = new("torch", ChannelOrder.Rgb, [1f / 255], [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>Raw pixel values 0..255, RGB.</summary>
    public static InputPreprocessing Raw { get; } = new("raw", ChannelOrder.Rgb, [1f], [0f], [1f]);

    /// <summary>Raw pixel values 0..255 in BGR order.</summary>
    public static InputPreprocessing RawBgr { get; } = new("raw-bgr", ChannelOrder.Bgr, [1f], [0f], [1f]);

    /// <summary>The named presets, for command lines and configuration.</summary>
    public static IReadOnlyList<InputPreprocessing> Presets { get; } = [Keras, Tf, Caffe, Torch, Raw, RawBgr];

    /// <summary>Finds a preset by name (case-insensitive); the error lists the valid names.</summary>
    public static InputPreprocessing FromName(string name) =>
        Presets.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown preprocessing preset '{name}'; valid presets are {string.Join(", ", Presets.Select(p => p.Name))}.", nameof(name));

    /// <summary>
    /// Parses a preset name (<c>caffe</c>) or a custom description such as
    /// <c>order=bgr;scale=1/255;mean=0.485,0.456,0.406;std=0.229,0.224,0.225</c> (numbers may be fractions;
    /// omitted keys mean RGB, scale 1, mean 0, std 1). Errors name the bad part and the valid presets.
    /// </summary>
    public static InputPreprocessing Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (!text.Contains('='))
            return FromName(text.Trim());
        var (order, scale, mean, std) = (ChannelOrder.Rgb, new[] { 1f }, new[] { 0f }, new[] { 1f });
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            switch (kv[0].ToLowerInvariant())
            {
                case "order" when Enum.TryParse<ChannelOrder>(kv[1], ignoreCase: true, out var parsed): order = parsed; break;
                case "scale": scale = Numbers(kv[1], text); break;
                case "mean": mean = Numbers(kv[1], text); break;
                case "std": std = Numbers(kv[1], text); break;
                default:
                    throw new ArgumentException($"Cannot read '{part}' in preprocessing '{text}'; expected order=rgb|bgr, scale=, mean=, std= (comma-separated numbers, fractions allowed) or a preset: {string.Join(", ", Presets.Select(p => p.Name))}.", nameof(text));
            }
        }
        return new InputPreprocessing("custom", order, scale, mean, std);
    }

    private static float[] Numbers(string list, string text) =>
        list.Split(',', StringSplitOptions.TrimEntries).Select(n => Number(n) ?? throw new ArgumentException(
            $"'{n}' in preprocessing '{text}' is not a number or fraction.", nameof(text))).ToArray();

    private static float? Number(string text)
    {
        static float? Parse(string s) => float.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
        var parts = text.Split('/', 2);
        return parts.Length == 1 ? Parse(parts[0]) : Parse(parts[0]) / Parse(parts[1]);
    }

    internal float[] PerChannel(float[] values, int channels, string what)
    {
        if (values.Length == 1) return Enumerable.Repeat(values[0], channels).ToArray();
        if (values.Length == channels) return values;
        throw new ArgumentException($"Preprocessing '{Name}' has {values.Length} {what} values but the model input has {channels} channels.");
    }
}
