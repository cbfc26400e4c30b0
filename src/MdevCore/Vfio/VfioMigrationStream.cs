using System.Buffers.Binary;

namespace MdevCore.Vfio;

/// <summary>
/// The data file a migration state change hands out (where the kernel returns <c>data_fd</c>): a stream read
/// in STOP_COPY and PRE_COPY, written in RESUMING. A driver derives from it.
/// </summary>
/// <remarks>
/// <para>The kernel's file is opened with <c>stream_open</c>: it has no position to seek to, so
/// <see cref="CanSeek"/> is <see langword="false"/>. <see cref="TryRead"/> and <see cref="TryWrite"/> give the
/// errno of a failed read or write; the <see cref="Stream"/> members throw it as an <see cref="MdevException"/>.
/// A read returning 0 means "no data now" (in PRE_COPY more may come once the device reaches STOP_COPY).</para>
/// <para>Thread safety: a driver's implementation serializes its own calls.</para>
/// </remarks>
public abstract class VfioMigrationStream : Stream
{
    private const int PrecopyInfoSize = 24;

    /// <summary>Whether this file is read (a saving file) rather than written (a resuming file).</summary>
    protected abstract bool IsSaving { get; }

    /// <inheritdoc/>
    public override bool CanRead => IsSaving;

    /// <inheritdoc/>
    public override bool CanWrite => !IsSaving;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <summary>Not supported: the stream has no length.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override long Length => throw new NotSupportedException();

    /// <summary>Not supported: the stream has no position.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>read(2) on the data file.</summary>
    /// <param name="buffer">Where the bytes go.</param>
    /// <returns>The byte count (0 when nothing is available), or the driver's errno.</returns>
    public abstract Result<int> TryRead(Span<byte> buffer);

    /// <summary>write(2) on the data file.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The byte count, or the driver's errno.</returns>
    public abstract Result<int> TryWrite(ReadOnlySpan<byte> data);

    /// <summary>VFIO_MIG_GET_PRECOPY_INFO, after the argument checks.</summary>
    /// <returns>The info, or the driver's errno; <see cref="Errno.ENOTTY"/> unless the driver supports it.</returns>
    public virtual Result<VfioPrecopyInfo> GetPrecopyInfo() => Errno.ENOTTY;

    /// <summary>An ioctl on the data file: only VFIO_MIG_GET_PRECOPY_INFO exists.</summary>
    /// <param name="command">The ioctl number.</param>
    /// <param name="argument"><c>struct vfio_precopy_info</c>: argsz, flags, initial_bytes, dirty_bytes.</param>
    /// <returns>0; <see cref="Errno.ENOTTY"/> for another command; <see cref="Errno.EFAULT"/> for a buffer under 24
    /// bytes; <see cref="Errno.EINVAL"/> for argsz under 24; or the errno of <see cref="GetPrecopyInfo"/>.</returns>
    public Result<long> Ioctl(uint command, Span<byte> argument)
    {
        if (command != VfioMigrationIoctls.MigGetPrecopyInfo)
        {
            return Errno.ENOTTY;
        }

        if (argument.Length < PrecopyInfoSize)
        {
            return Errno.EFAULT;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(argument) < PrecopyInfoSize)
        {
            return Errno.EINVAL;
        }

        Result<VfioPrecopyInfo> info = GetPrecopyInfo();
        if (!info.TryGetValue(out VfioPrecopyInfo value))
        {
            return info.Error;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(argument[8..], value.InitialBytes);
        BinaryPrimitives.WriteUInt64LittleEndian(argument[16..], value.DirtyBytes);
        return 0L;
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer) => TryRead(buffer).GetValueOrThrow();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            done += TryWrite(buffer[done..]).GetValueOrThrow();
        }
    }

    /// <summary>Nothing to flush: writes reach the device at once.</summary>
    public override void Flush()
    {
    }

    /// <summary>Not supported: the stream cannot seek.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <summary>Not supported.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override void SetLength(long value) => throw new NotSupportedException();
}
