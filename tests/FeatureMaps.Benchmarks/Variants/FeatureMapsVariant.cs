using FeatureMaps.MLNet.Reading;
using FeatureMaps.MLNet.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

namespace FeatureMaps.Benchmarks.Variants;

/// <summary>
/// (c) The library in memory: LoadAndResize, ExtractLayerOutputs, NormalizeForDisplay, ComposeBelt, every
/// <c>Belt.*</c> column read with one cursor into reused <see cref="VBuffer{T}"/>s; no files written. With
/// <paramref name="cursorSet"/> the rows are read through a cursor set of two, one thread each.
/// With fewer <paramref name="stages"/> the pipeline stops early and the last stage's columns are read, which
/// splits (c)'s time by stage; with <paramref name="intraOpThreads"/> every ONNX Runtime session the pipeline
/// makes gets that many intra-op threads (a user-level setting: <c>MLContext.SetOnnxSessionOption</c>); with
/// <paramref name="reader"/> the belts are read through <see cref="FeatureMapReader"/>, the library's streaming path.
/// </summary>
internal sealed class FeatureMapsVariant : IVariant
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly Stage _stages;
    private readonly bool _cursorSet;
    private readonly bool _reader;

    public enum Stage { Load = 1, Extract = 2, Normalize = 3, Belt = 4 }

    public FeatureMapsVariant(MLContext ml, VariantContext context, Stage stages = Stage.Belt, int? intraOpThreads = null, bool cursorSet = false, bool reader = false)
    {
        _ml = ml;
        _stages = stages;
        _cursorSet = cursorSet;
        _reader = reader;
        if (intraOpThreads is { } threads)
            ml.SetOnnxSessionOption(new OnnxSessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 });
        var workload = context.Workload;
        IEstimator<ITransformer> pipeline = ml.Transforms.LoadAndResize("Image", "ImagePath", workload.Width, workload.Height);
        if (stages >= Stage.Extract) pipeline = pipeline.Append(ml.Transforms.ExtractLayerOutputs(context.Setup.ExtractOptions));
        if (stages >= Stage.Normalize) pipeline = pipeline.Append(ml.Transforms.NormalizeForDisplay());
        if (stages >= Stage.Belt) pipeline = pipeline.Append(ml.Transforms.ComposeBelt());
        _model = pipeline.Fit(ml.Data.LoadFromEnumerable(Array.Empty<PathRow>()));
        var sessions = stages switch { Stage.Load => "no ORT session", Stage.Extract => "1 InferenceSession", Stage.Normalize => "2 InferenceSessions", _ => "3 InferenceSessions (extract, normalize, belt)" };
        var rows = reader ? "FeatureMapReader: one row at a time on the calling thread"
            : cursorSet ? "GetRowCursorSet(n: 2): rows on 2 threads, each row's graphs on its thread"
            : stages == Stage.Load ? "GetRowCursor" : "GetRowCursor: each graph runs the next row on a pool thread while the current one is read";
        Threads = stages == Stage.Load ? rows
            : intraOpThreads is { } t ? $"{sessions}, intra-op {t} each (MLContext.SetOnnxSessionOption); {rows}"
            : $"{sessions}, model: ORT default intra-op (one per core), display graphs: 1 thread each; {rows}";
    }

    public string Threads { get; }

    public string? Note => null;

    public int Pass(IReadOnlyList<string> files, PassMeter meter)
    {
        var data = _ml.Data.LoadFromEnumerable(files.Select(f => new PathRow { ImagePath = f }));
        if (_reader)
            return ReadStreaming(data, meter);
        var result = _model.Transform(data);
        var prefixes = _stages switch
        {
            Stage.Load => ["Image"],
            Stage.Extract => [ColumnPrefixes.Layer, ColumnPrefixes.Output],
            Stage.Normalize => [ColumnPrefixes.Display],
            _ => new[] { ColumnPrefixes.Belt },
        };
        var columns = result.Schema.Where(c => !c.IsHidden && prefixes.Any(p => _stages == Stage.Load ? c.Name == p : c.Name.StartsWith(p, StringComparison.Ordinal))).ToArray();
        var error = result.Schema["ImageError"];
        if (_cursorSet)
            return ReadInParallel(result.GetRowCursorSet([.. columns, error], 2), columns, error, meter);
        using var cursor = result.GetRowCursor([.. columns, error]);
        return ReadAll(cursor, columns, error, meter, gate: null);
    }

    private static int ReadInParallel(DataViewRowCursor[] cursors, DataViewSchema.Column[] columns, DataViewSchema.Column error, PassMeter meter)
    {
        var (errors, gate) = (0, new object());
        Parallel.ForEach(cursors, new ParallelOptions { MaxDegreeOfParallelism = cursors.Length }, cursor =>
        {
            using (cursor)
            {
                var found = ReadAll(cursor, columns, error, meter, gate);
                Interlocked.Add(ref errors, found);
            }
        });
        return errors;
    }

    /// <summary>Reads every row of <paramref name="cursor"/>; with a <paramref name="gate"/>, the meter is shared with other threads.</summary>
    private static int ReadAll(DataViewRowCursor cursor, DataViewSchema.Column[] columns, DataViewSchema.Column error, PassMeter meter, object? gate)
    {
        var readers = columns.Select(c => Reader(cursor, c)).ToArray();
        var errorGetter = cursor.GetGetter<ReadOnlyMemory<char>>(error);
        var message = default(ReadOnlyMemory<char>);
        var errors = 0;
        while (cursor.MoveNext())
        {
            foreach (var read in readers) read();
            errorGetter(ref message);
            if (!message.IsEmpty) errors++;
            if (gate is null)
                meter.ImageDone();
            else
                lock (gate) meter.ImageDone();
        }
        return errors;
    }

    /// <summary>Every <c>Belt.*</c> column of each image through the library's one-row-at-a-time reader.</summary>
    private int ReadStreaming(IDataView data, PassMeter meter)
    {
        using var reader = new FeatureMapReader(_model, data);
        var errorGetter = reader.Row.GetGetter<ReadOnlyMemory<char>>(reader.Row.Schema["ImageError"]);
        var (message, belt, errors) = (default(ReadOnlyMemory<char>), default(VBuffer<byte>), 0);
        while (reader.MoveNext())
        {
            foreach (var pass in reader.ReadPasses())
                foreach (var column in pass.Columns.Where(c => c.Name.StartsWith(ColumnPrefixes.Belt, StringComparison.Ordinal)))
                    pass.Row.GetGetter<VBuffer<byte>>(column)(ref belt);
            errorGetter(ref message);
            if (!message.IsEmpty) errors++;
            meter.ImageDone();
        }
        return errors;
    }

    /// <summary>Reads a vector column into one reused buffer per column.</summary>
    private static Action Reader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (((VectorDataViewType)column.Type).ItemType == NumberDataViewType.Byte)
        {
            var getter = cursor.GetGetter<VBuffer<byte>>(column);
            var buffer = default(VBuffer<byte>);
            return () => getter(ref buffer);
        }
        var floats = cursor.GetGetter<VBuffer<float>>(column);
        var values = default(VBuffer<float>);
        return () => floats(ref values);
    }

    public void Dispose() { }

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";
    }
}
