using System.Text.Json;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// Streams <c>summary.json</c>: <c>{"run": {...}, "layers": [...], "images": [...]}</c>, one image record at a time, so
/// a summary of a million images never sits in memory. "run" comes first so <see cref="ReadRun"/> finds it without
/// reading the rest; "layers" (channel statistics across the images, when there are any) has a size set by the model.
/// </summary>
internal sealed class SummaryWriter
{
    private const int FlushThreshold = 1 << 16;
    private readonly Utf8JsonWriter _writer;

    public SummaryWriter(Stream stream, RunTotals run, IReadOnlyList<LayerChannelSummary>? layers = null)
    {
        _writer = new Utf8JsonWriter(stream, CliJson.WriterOptions);
        _writer.WriteStartObject();
        _writer.WritePropertyName("run");
        JsonSerializer.Serialize(_writer, run, CliJson.Options);
        if (layers is { Count: > 0 })
        {
            _writer.WritePropertyName("layers");
            JsonSerializer.Serialize(_writer, layers, CliJson.Options);
        }
        _writer.WriteStartArray("images");
    }

    public void Add(ImageRecord record)
    {
        JsonSerializer.Serialize(_writer, record, CliJson.Options);
        // Utf8JsonWriter buffers until flushed; flushing as it fills keeps that buffer small.
        if (_writer.BytesPending > FlushThreshold)
            _writer.Flush();
    }

    public void Finish()
    {
        _writer.WriteEndArray();
        _writer.WriteEndObject();
        _writer.Dispose();
    }

    /// <summary>The "run" object of a summary file, read from its beginning only; null when the file has none.</summary>
    public static RunTotals? ReadRun(string path)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[1 << 16];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
                Array.Resize(ref buffer, buffer.Length * 2);
            var read = stream.Read(buffer, length, buffer.Length - length);
            length += read;
            var reader = new Utf8JsonReader(buffer.AsSpan(0, length), isFinalBlock: read == 0, state: default);
            if (TryReadRun(ref reader, out var run) || read == 0)
                return run;
            // The run object goes past what was read so far: read more and parse again from the start.
        }
    }

    /// <returns>False when the buffer ends before the answer is known.</returns>
    private static bool TryReadRun(ref Utf8JsonReader reader, out RunTotals? run)
    {
        run = null;
        if (!reader.Read())
            return false;
        if (reader.TokenType != JsonTokenType.StartObject)
            return true;
        while (true)
        {
            if (!reader.Read())
                return false;
            if (reader.TokenType != JsonTokenType.PropertyName)
                return true;
            var isRun = reader.ValueTextEquals("run");
            var lookahead = reader;
            if (!lookahead.TrySkip())
                return false;
            if (isRun)
            {
                run = JsonSerializer.Deserialize<RunTotals>(ref reader, CliJson.Options);
                return true;
            }
            reader = lookahead;
        }
    }
}
