using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Execution;

/// <summary>
/// One cursor over the rows of a cursor set, each cursor of the set driven by its own thread: the rows' graphs run in
/// parallel, and the rows come out in the order a single cursor gives (ML.NET's <c>Batch</c> contract: take the
/// cursor with the lowest batch until its batch changes). At most one finished row per thread waits to be read, so
/// memory holds a few rows, never a read-ahead of the whole data.
/// </summary>
internal sealed class ConsolidatingCursor : DataViewRowCursor
{
    private readonly DataViewSchema.Column[] _columns;
    private readonly Dictionary<int, int> _slotOfColumn;
    private readonly Worker[] _workers;
    private readonly ConcurrentBag<RowSnapshot> _idle = [];
    private readonly CancellationTokenSource _stop = new();
    private RowSnapshot? _current;
    private int _currentWorker = -1;
    private long _position = -1;

    public ConsolidatingCursor(DataViewSchema schema, DataViewRowCursor[] sources, IEnumerable<DataViewSchema.Column> columns)
    {
        Schema = schema;
        _columns = columns.DistinctBy(c => c.Index).ToArray();
        _slotOfColumn = _columns.Select((c, i) => (c.Index, i)).ToDictionary(p => p.Index, p => p.i);
        _workers = sources.Select(source => new Worker(this, source)).ToArray();
        foreach (var worker in _workers) worker.Start();
    }

    public override DataViewSchema Schema { get; }

    public override long Position => _position;

    public override long Batch => 0;

    public override bool MoveNext()
    {
        if (_current is { } done)
        {
            _idle.Add(done);
            _current = null;
        }
        // Stay with the current cursor while its batch goes on; else take the lowest batch on offer.
        var next = _currentWorker >= 0 && _workers[_currentWorker].Peek() is { } same && same.Batch == _workers[_currentWorker].LastBatch
            ? _currentWorker
            : Lowest();
        if (next < 0)
        {
            _currentWorker = -1;
            return false;
        }
        _current = _workers[next].Take();
        _currentWorker = next;
        _position++;
        return true;
    }

    private int Lowest()
    {
        var best = -1;
        for (var i = 0; i < _workers.Length; i++)
            if (_workers[i].Peek() is { } row && (best < 0 || row.Batch < _workers[best].Peek()!.Batch))
                best = i;
        return best;
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = Current.Id;

    public override bool IsColumnActive(DataViewSchema.Column column) => _slotOfColumn.ContainsKey(column.Index);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!_slotOfColumn.TryGetValue(column.Index, out var slot))
            throw new InvalidOperationException($"Column '{column.Name}' was not requested as active; it cannot be read from this cursor.");
        return ColumnSlot.For(column).Reader(() => Current.Slots[slot]) as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
    }

    private RowSnapshot Current => _current ?? throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop.Cancel();
            foreach (var worker in _workers) worker.Stop();
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>Drives one cursor of the set on its own thread, one finished row at a time.</summary>
    private sealed class Worker(ConsolidatingCursor owner, DataViewRowCursor source)
    {
        private readonly BlockingCollection<RowSnapshot> _ready = new(boundedCapacity: 1);
        private RowSnapshot? _peeked;
        private ExceptionDispatchInfo? _failure;
        private Task? _task;

        public long LastBatch { get; private set; } = -1;

        public void Start() => _task = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        /// <summary>The next row of this cursor, waiting for it; null when the cursor has no more rows.</summary>
        public RowSnapshot? Peek()
        {
            if (_peeked is null && _ready.TryTake(out var row, Timeout.Infinite))
                _peeked = row;
            if (_peeked is null)
                _failure?.Throw();
            return _peeked;
        }

        public RowSnapshot Take()
        {
            var row = Peek() ?? throw new InvalidOperationException("No row to take.");
            _peeked = null;
            LastBatch = row.Batch;
            return row;
        }

        private void Run()
        {
            try
            {
                var sources = owner._columns.Select(c => ColumnSlot.For(c).Source(source, c)).ToArray();
                var id = source.GetIdGetter();
                while (!owner._stop.IsCancellationRequested && source.MoveNext())
                {
                    var row = owner._idle.TryTake(out var idle) ? idle : new RowSnapshot(owner._columns);
                    row.Capture(source, sources, id);
                    _ready.Add(row, owner._stop.Token);
                }
            }
            catch (OperationCanceledException) when (owner._stop.IsCancellationRequested)
            {
                // disposed while this thread waited for room: nothing more is read
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                _ready.CompleteAdding();
                source.Dispose();
            }
        }

        public void Stop()
        {
            _task?.Wait();
            _ready.Dispose();
        }
    }
}
