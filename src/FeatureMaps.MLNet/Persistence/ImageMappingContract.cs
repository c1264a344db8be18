using System.Globalization;
using System.Text;
using FeatureMaps.MLNet.Imaging;
using FeatureMaps.MLNet.Onnx;

namespace FeatureMaps.MLNet.Persistence;

/// <summary>
/// Everything <c>LoadAndResize</c> needs, written into the contract name of ML.NET's custom mapping.
/// ML.NET saves that name in the zip and nothing else of a custom mapping, so the name itself is the
/// persisted state: <c>FeatureMaps.LoadAndResize/1?in=ImagePath&amp;out=Image&amp;w=150&amp;...#</c>.
/// </summary>
internal sealed record ImageMappingContract(
    string InputColumn, string OutputColumn, string ErrorColumn, int Width, int Height, int Channels,
    ResizeMode Mode, string? ImageFolder, long MaxPixels)
{
    public const string Prefix = "FeatureMaps.LoadAndResize/";
    private const char End = '#';

    public int Length => Width * Height * Channels;

    public string Encode()
    {
        var fields = new (string Key, string Value)[]
        {
            ("in", InputColumn), ("out", OutputColumn), ("err", ErrorColumn),
            ("w", Width.ToString(CultureInfo.InvariantCulture)), ("h", Height.ToString(CultureInfo.InvariantCulture)),
            ("c", Channels.ToString(CultureInfo.InvariantCulture)), ("mode", Mode.ToString()),
            ("dir", ImageFolder ?? ""), ("maxpx", MaxPixels.ToString(CultureInfo.InvariantCulture)),
        };
        return $"{Prefix}{PipelineFormat.Current}?{string.Join('&', fields.Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value)}"))}{End}";
    }

    public static ImageMappingContract Decode(string contract, string source)
    {
        try
        {
            var query = contract[Prefix.Length..].TrimEnd(End);
            var version = int.Parse(query[..query.IndexOf('?')], CultureInfo.InvariantCulture);
            PipelineFormat.EnsureReadable(version, source);
            var fields = query[(query.IndexOf('?') + 1)..].Split('&')
                .Select(f => f.Split('=', 2)).ToDictionary(kv => kv[0], kv => Uri.UnescapeDataString(kv[1]));
            int Int(string key) => int.Parse(fields[key], CultureInfo.InvariantCulture);
            return new ImageMappingContract(fields["in"], fields["out"], fields["err"], Int("w"), Int("h"), Int("c"),
                Enum.Parse<ResizeMode>(fields["mode"]), fields["dir"].Length == 0 ? null : fields["dir"],
                long.Parse(fields["maxpx"], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is FormatException or KeyNotFoundException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            throw new InvalidDataException($"'{source}' holds a damaged FeatureMaps image-loading step ('{contract}'): {e.Message}", e);
        }
    }

    /// <summary>Finds every contract in a saved ML.NET model stream, which stores strings as UTF-16.</summary>
    public static IEnumerable<string> FindIn(byte[] modelStream)
    {
        var text = Encoding.Unicode.GetString(modelStream);
        var shifted = modelStream.Length > 1 ? Encoding.Unicode.GetString(modelStream, 1, modelStream.Length - 1) : "";
        foreach (var candidate in new[] { text, shifted })
        {
            for (var at = candidate.IndexOf(Prefix, StringComparison.Ordinal); at >= 0; at = candidate.IndexOf(Prefix, at + 1, StringComparison.Ordinal))
            {
                var end = candidate.IndexOf(End, at);
                if (end > at) yield return candidate[at..(end + 1)];
            }
        }
    }
}
