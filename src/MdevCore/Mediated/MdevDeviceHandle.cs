namespace MdevCore.Mediated;

/// <summary>An open mdev (a device file descriptor): read, write, ioctl and mmap go to the vendor.</summary>
/// <remarks>
/// Missing vendor operations fail with <see cref="Errno.EINVAL"/>, as the seed's <c>vfio_mdev</c> did.
/// While a handle is open a modern-profile remove waits for it to be closed.
/// Thread safety: thread-safe; concurrent calls reach the vendor concurrently.
/// </remarks>
public sealed class MdevDeviceHandle : IDisposable
{
    private int _closed;

    internal MdevDeviceHandle(MdevDevice device) => Device = device;

    /// <summary>The device.</summary>
    public MdevDevice Device { get; }

    /// <summary>Whether the handle has been closed.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Reads device memory or registers at a device-file offset.</summary>
    /// <param name="buffer">Where the bytes go.</param>
    /// <param name="offset">The offset.</param>
    /// <returns>The byte count, <see cref="Errno.EBADF"/> after close, <see cref="Errno.EINVAL"/> without vendor support, or the vendor's errno.</returns>
    public Result<int> Read(Span<byte> buffer, long offset) =>
        IsClosed ? Errno.EBADF
        : Device.MdevParent.Ops is IMdevDeviceReadWrite rw ? rw.Read(Device, buffer, offset) : Errno.EINVAL;

    /// <summary>Writes device memory or registers at a device-file offset.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="offset">The offset.</param>
    /// <returns>The byte count, <see cref="Errno.EBADF"/> after close, <see cref="Errno.EINVAL"/> without vendor support, or the vendor's errno.</returns>
    public Result<int> Write(ReadOnlySpan<byte> data, long offset) =>
        IsClosed ? Errno.EBADF
        : Device.MdevParent.Ops is IMdevDeviceReadWrite rw ? rw.Write(Device, data, offset) : Errno.EINVAL;

    /// <summary>Issues an ioctl.</summary>
    /// <param name="command">The ioctl number.</param>
    /// <param name="argument">The argument buffer.</param>
    /// <returns>The return value, <see cref="Errno.EBADF"/> after close, <see cref="Errno.EINVAL"/> without vendor support, or the vendor's errno.</returns>
    public Result<long> Ioctl(uint command, Span<byte> argument) =>
        IsClosed ? Errno.EBADF
        : Device.MdevParent.Ops is IMdevDeviceIoctl io ? io.Ioctl(Device, command, argument) : Errno.EINVAL;

    /// <summary>Maps device memory.</summary>
    /// <param name="offset">The device-file offset.</param>
    /// <param name="length">The length.</param>
    /// <returns>The window, <see cref="Errno.EBADF"/> after close, <see cref="Errno.EINVAL"/> without vendor support, or the vendor's errno.</returns>
    public Result<Memory<byte>> Mmap(long offset, long length) =>
        IsClosed ? Errno.EBADF
        : Device.MdevParent.Ops is IMdevDeviceMmap map ? map.Mmap(Device, offset, length) : Errno.EINVAL;

    /// <summary>Closes the handle; the last close reaches the vendor's <see cref="IMdevDeviceOpen.Release"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            Device.Close();
        }
    }
}
