using FeatureMaps.MLNet.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Onnx;

namespace FeatureMaps.MLNet.Execution;

/// <summary>
/// A fitted generated graph. Rows run through ONNX Runtime directly, each tensor in a buffer that ONNX Runtime reads or
/// writes in place, lent to a row at a time from a small pool; saved, it is ML.NET's own ONNX transformer over the same
/// graph file.
/// </summary>
/// <remarks>
/// ML.NET's ONNX transformer copies every fetched tensor into a new managed array per row and again into the column
/// (measured: about 4 ms per row over a bare <c>Run</c> for the seed model's six layers, 52 MB allocated per resnet18
/// image). Saving is delegated because ML.NET's public API cannot register a new loadable transformer: the zip holds
/// the stock transformer, so it loads anywhere ML.NET does, and computes the same values through ML.NET's path.
/// </remarks>
internal sealed class GraphTransformer : ITransformer, IDisposable
{
    /// <summary>Idle buffer sets kept per set of read outputs: enough for a cursor's rows in flight and a few cursors.</summary>
    private const int MaxIdleBuffersPerKind = 4;

    private readonly TransformsCatalog _catalog;
    private readonly string _graphPath;
    private readonly SessionSettings _settings;
    private readonly DataViewSchema _fitSchema;
    private readonly Dictionary<string, Stack<RowBuffers>> _idleBuffers = [];
    private readonly object _poolGate = new();
    private int _runs;
    private int _disposed;

    public GraphTransformer(TransformsCatalog catalog, string graphPath, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs,
        SessionSettings settings, DataViewSchema fitSchema)
    {
        (_catalog, _graphPath, _settings) = (catalog, graphPath, settings);
        try
        {
            Session = settings.Open(graphPath);
        }
        catch (OnnxRuntimeException e)
        {
            // As ML.NET's own transformer reports it, so callers catch one exception type for a graph that cannot run.
            throw new InvalidOperationException($"ONNX Runtime cannot load the generated graph '{graphPath}': {e.Message}", e);
        }
        try
        {
            GraphName = Session.ModelMetadata.GraphName;
            Inputs = inputs.Select(name => TensorSpec.Of(name, Lookup(Session.InputMetadata, name, "input"), GraphName)).ToList();
            Outputs = outputs.Select(name => TensorSpec.Of(name, Lookup(Session.OutputMetadata, name, "output"), GraphName)).ToList();
            InputNames = [.. inputs];
            CheckInputs(fitSchema);
            _fitSchema = fitSchema;
        }
        catch
        {
            Session.Dispose();
            throw;
        }
    }

    public InferenceSession Session { get; }

    /// <summary>The generated graph's name (layers, normalize, belt, cam), for messages.</summary>
    public string GraphName { get; }

    public IReadOnlyList<TensorSpec> Inputs { get; }

    public IReadOnlyList<TensorSpec> Outputs { get; }

    public string[] InputNames { get; }

    public bool IsRowToRowMapper => true;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckInputs(inputSchema);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        foreach (var output in Outputs)
            builder.AddColumn(output.Name, output.ColumnType);
        return builder.ToSchema();
    }

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ThrowIfDisposed();
        return new GraphRowMapper(this, inputSchema);
    }

    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ThrowIfDisposed();
        return new GraphDataView(this, input);
    }

    /// <summary>Writes ML.NET's own ONNX transformer over the same graph, made for the save and disposed after it.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ThrowIfDisposed(); // its graph file is gone
        var stock = _catalog.ApplyOnnxModel(new OnnxOptions
        {
            ModelFile = _graphPath,
            InputColumns = [.. InputNames],
            OutputColumns = Outputs.Select(o => o.Name).ToArray(),
            GpuDeviceId = _settings.GpuDeviceId,
            FallbackToCpu = _settings.FallbackToCpu,
            IntraOpNumThreads = _settings.IntraOpThreads,
            InterOpNumThreads = _settings.IntraOpThreads is null ? null : 1,
        }).Fit(new SchemaOnlyDataView(_fitSchema));
        using (stock)
            ((ICanSaveModel)stock).Save(ctx);
    }

    /// <summary>
    /// Which input columns a read of <paramref name="columns"/> (columns of the output schema) needs, and which graph
    /// outputs it reads: any graph output needs every graph input.
    /// </summary>
    public (IReadOnlyList<DataViewSchema.Column> InputColumns, bool[] ActiveOutputs) Needs(DataViewSchema inputSchema, IEnumerable<DataViewSchema.Column> columns)
    {
        var active = new bool[Outputs.Count];
        var needed = new List<DataViewSchema.Column>();
        foreach (var column in columns)
        {
            if (column.Index < inputSchema.Count) needed.Add(inputSchema[column.Index]);
            else active[column.Index - inputSchema.Count] = true;
        }
        if (active.Any(a => a))
            needed.AddRange(Inputs.Select(i => inputSchema[i.Name]));
        return (needed.DistinctBy(c => c.Index).ToList(), active);
    }

    private void CheckInputs(DataViewSchema schema)
    {
        foreach (var input in Inputs)
        {
            var expected = $"a vector of {input.Length} {input.ItemType} values (graph input '{input.Name}' of the generated '{GraphName}' graph)";
            var column = schema.GetColumnOrNull(input.Name)
                ?? throw new ArgumentOutOfRangeException(nameof(schema),
                    $"Column '{input.Name}' not found; expected {expected}. Available columns: {string.Join(", ", schema.Select(c => $"'{c.Name}'"))}.");
            if (column.Type is not VectorDataViewType vector || !vector.ItemType.Equals(input.ItemType) || vector.Size != input.Length)
                throw new ArgumentOutOfRangeException(nameof(schema), $"Column '{input.Name}' is {column.Type}; expected {expected}.");
        }
    }

    private NodeMetadata Lookup(IReadOnlyDictionary<string, NodeMetadata> metadata, string name, string kind) =>
        metadata.TryGetValue(name, out var found) ? found
            : throw new InvalidOperationException($"Generated graph '{GraphName}' has no {kind} '{name}'; its {kind}s are {string.Join(", ", metadata.Keys.Select(k => $"'{k}'"))}.");

    /// <summary>The bytes of a row's graph inputs and of the <paramref name="activeOutputs"/>.</summary>
    public long RowBytes(bool[] activeOutputs) =>
        Inputs.Concat(Outputs.Where((_, i) => activeOutputs[i])).Sum(t => t.Bytes);

    /// <summary>Runs the graph on the inputs in <paramref name="buffers"/>, writing the outputs they hold.</summary>
    public void Run(RowBuffers buffers, long position)
    {
        Interlocked.Increment(ref _runs);
        try
        {
            ThrowIfDisposed();
            Session.Run(buffers.RunOptions, InputNames, buffers.InputValues, buffers.Fetched, buffers.FetchedValues);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidOperationException($"ONNX Runtime failed on row {position} of the generated '{GraphName}' graph: {e.Message}", e);
        }
        finally
        {
            Interlocked.Decrement(ref _runs);
        }
    }

    /// <summary>Buffers for a row that reads <paramref name="activeOutputs"/>: idle ones of an earlier row, else new ones.</summary>
    public RowBuffers RentBuffers(bool[] activeOutputs)
    {
        lock (_poolGate)
        {
            ThrowIfDisposed();
            if (_idleBuffers.TryGetValue(RowBuffers.Key(activeOutputs), out var idle) && idle.Count > 0)
                return idle.Pop();
        }
        return new RowBuffers(this, activeOutputs);
    }

    /// <summary>
    /// Takes back the buffers of a row that ended. A few per set of read outputs are kept for later rows (a cursor set of
    /// many cursors must not pin that many rows' tensors for the transformer's life); the rest are released.
    /// </summary>
    public void ReturnBuffers(RowBuffers buffers)
    {
        lock (_poolGate)
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                var key = RowBuffers.Key(buffers.ActiveOutputs);
                if (!_idleBuffers.TryGetValue(key, out var idle))
                    _idleBuffers[key] = idle = new Stack<RowBuffers>();
                if (idle.Contains(buffers))
                    return;
                if (idle.Count < MaxIdleBuffersPerKind)
                {
                    idle.Push(buffers);
                    return;
                }
            }
        }
        buffers.Dispose();
    }

    /// <summary>
    /// Releases the idle buffers now. A reader that holds one pass of layers at a time calls it after each pass, so the
    /// pool does not keep every pass's tensors alive together (which a memory budget exists to prevent).
    /// </summary>
    public void ReleaseIdleBuffers()
    {
        List<RowBuffers> idle;
        lock (_poolGate)
        {
            idle = _idleBuffers.Values.SelectMany(stack => stack).ToList();
            _idleBuffers.Clear();
        }
        foreach (var buffers in idle) buffers.Dispose();
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
            throw new ObjectDisposedException(GraphName, $"The fitted step running the generated '{GraphName}' graph was disposed.");
    }

    /// <summary>
    /// Ends the session once no run is in flight (a cursor's pool thread may still be inside one: ending the native
    /// session under it would crash the process), then removes the graph file.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        SpinWait.SpinUntil(() => Volatile.Read(ref _runs) == 0);
        lock (_poolGate)
        {
            foreach (var buffers in _idleBuffers.Values.SelectMany(stack => stack)) buffers.Dispose();
            _idleBuffers.Clear();
        }
        Session.Dispose();
        // Only a save reads the graph file again, and a disposed transformer is not saved: a long-lived process that
        // fits many pipelines (one per image size, say) keeps only the files of the ones alive.
        GeneratedGraphFile.Release(_graphPath);
    }
}
