namespace FeatureMaps.Samples.Cli;

/// <summary>
/// The write side of an <see cref="AtomicFile"/>: passes everything to the temporary file's stream and turns its
/// failures into <see cref="OutputWriteException"/>s naming the target, so a full disk during a streamed summary says
/// which file it could not write.
/// </summary>
internal sealed class TargetNamingStream(FileStream inner, string target) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            inner.Write(buffer);
        }
        catch (Exception e) when (OutputWriteException.IsWriteFailure(e))
        {
            throw new OutputWriteException(target, e);
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush() => OutputWriteException.Translate(target, inner.Flush);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            OutputWriteException.Translate(target, inner.Dispose);
        base.Dispose(disposing);
    }
}
