using System.Runtime.ExceptionServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Execution;

/// <summary>
/// A cursor that keeps the graph of the next rows running while the current one is read: each row's graph inputs
/// (and the input columns passed through) are taken from the input cursor at once, the ONNX Runtime run goes to a
/// pool thread, and the rows come out in input order. Chained graphs (layers, display, belt) each run ahead of the
/// one that reads them, so decoding, the model and the display graphs of neighbouring images overlap on the cores.
/// </summary>
/// <remarks>
/// ML.NET's own mapping transforms parallelize with cursor sets split in batches of rows and a consolidating reader,
/// which holds whole batches of values in memory; here at most <c>depth</c> rows per graph are in flight, in buffers
/// that are reused.
/// </remarks>
internal sealed class PipelinedGraphCursor : DataViewRowCursor
{
    private readonly GraphTransformer _graph;
    private readonly DataViewRowCursor _input;
    private readonly bool[] _activeOutputs;
    private readonly DataViewSchema.Column[] _passedThrough;
    private readonly Dictionary<int, int> _passedSlot;
    private readonly Delegate[] _passedSources;
    private readonly ValueGetter<DataViewRowId> _inputId;
    private readonly int _depth;
    private readonly Queue<PendingRow> _inFlight = new();
    private readonly Stack<PendingRow> _free = new();
    private PendingRow? _current;
    private bool _inputDone;
    private bool _disposed;

    public PipelinedGraphCursor(GraphTransformer graph, DataViewSchema schema, DataViewRowCursor input, bool[] activeOutputs,
        IEnumerable<DataViewSchema.Column> passedThrough, int depth)
    {
        (_graph, Schema, _input, _activeOutputs, _depth) = (graph, schema, input, activeOutputs, depth);
        _passedThrough = passedThrough.ToArray();
        _passedSlot = _passedThrough.Select((c, i) => (c.Index, i)).ToDictionary(p => p.Index, p => p.i);
        _passedSources = _passedThrough.Select(c => ColumnSlot.For(c).Source(input, c)).ToArray();
        _inputId = input.GetIdGetter();
    }

    public override DataViewSchema Schema { get; }

    public override long Position => _current?.Values.Position ?? -1;

    public override long Batch => _current?.Values.Batch ?? 0;

    public override bool MoveNext()
    {
        if (_current is { } read)
            _free.Push(read);
        _current = null;
        while (!_inputDone && _inFlight.Count < _depth)
        {
            if (!_input.MoveNext())
            {
                _inputDone = true;
                break;
            }
            var row = _free.Count > 0 ? _free.Pop() : new PendingRow(this);
            row.Start();
            _inFlight.Enqueue(row);
        }
        if (_inFlight.Count == 0)
            return false;
        _current = _inFlight.Dequeue();
        _current.Wait();
        return true;
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = Current.Values.Id;

    public override bool IsColumnActive(DataViewSchema.Column column)
    {
        var inputCount = _input.Schema.Count;
        return column.Index < inputCount ? _passedSlot.ContainsKey(column.Index) : _activeOutputs[column.Index - inputCount];
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        var inputCount = _input.Schema.Count;
        Delegate getter;
        if (column.Index < inputCount && _passedSlot.TryGetValue(column.Index, out var slot))
            getter = ColumnSlot.For(column).Reader(() => Current.Values.Slots[slot]);
        else if (column.Index >= inputCount && _activeOutputs[column.Index - inputCount])
        {
            var output = column.Index - inputCount;
            getter = TensorBuffer.Getter(_graph.Outputs[output], () => Current.Buffers.Outputs[output]!);
        }
        else
            throw new InvalidOperationException($"Column '{column.Name}' was not requested as active; it cannot be read from this cursor.");
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
    }

    private PendingRow Current => _current ?? throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");

    protected override void Dispose(bool disposing)
    {
        if (_disposed)
            return;
        _disposed = true;
        if (disposing)
        {
            foreach (var row in _inFlight) row.Finish();
            foreach (var row in _inFlight.Concat(_free).Append(_current).OfType<PendingRow>())
                _graph.ReturnBuffers(row.Buffers);
            _inFlight.Clear();
            _free.Clear();
            _current = null;
            _input.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>One row in flight: its graph buffers, the input columns passed through, and the run filling its outputs.</summary>
    private sealed class PendingRow
    {
        private readonly PipelinedGraphCursor _owner;
        private readonly Action[] _readers;
        private Task? _run;
        private ExceptionDispatchInfo? _failure;

        public PendingRow(PipelinedGraphCursor owner)
        {
            _owner = owner;
            Buffers = owner._graph.RentBuffers(owner._activeOutputs);
            _readers = Buffers.Inputs.Select((buffer, i) => buffer.Reader(owner._input, owner._input.Schema[owner._graph.Inputs[i].Name])).ToArray();
            Values = new RowSnapshot(owner._passedThrough);
        }

        public RowBuffers Buffers { get; }

        public RowSnapshot Values { get; }

        /// <summary>Takes the input cursor's current row and starts its run; a failure surfaces when the row is read.</summary>
        public void Start()
        {
            (_run, _failure) = (null, null);
            try
            {
                Values.Capture(_owner._input, _owner._passedSources, _owner._inputId);
                foreach (var read in _readers) read();
                _run = Task.Run(() => _owner._graph.Run(Buffers, Values.Position));
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
        }

        public void Wait()
        {
            _failure?.Throw();
            _run!.GetAwaiter().GetResult();
        }

        /// <summary>Waits for the run without rethrowing: the buffers must not be lent again while ONNX Runtime writes them.</summary>
        public void Finish()
        {
            try { _run?.Wait(); }
            catch (AggregateException) { /* the row is being discarded */ }
        }
    }
}
