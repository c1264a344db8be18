using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FeatureMaps.Samples.Cli;

/// <summary>The JSON shape of done.json and summary files: camelCase, indented, enums as lower-case text.</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        // Absent is clearer than null: an ok image has no "error", a run without --pgm no "rawFile".
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Activations can be NaN or infinite; they are written as "NaN" rather than failing the image.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // File names are data here, not markup: keep "é" and "<" readable. Nothing reads these files as HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static JsonWriterOptions WriterOptions { get; } = new() { Indented = true, Encoder = Options.Encoder };

    /// <summary>The <typeparamref name="T"/> in <paramref name="file"/>, or null when the file is missing or not such JSON (a killed run's leftovers).</summary>
    public static T? TryRead<T>(string file) where T : class
    {
        try
        {
            using var stream = File.OpenRead(file);
            return JsonSerializer.Deserialize<T>(stream, Options);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }
}
