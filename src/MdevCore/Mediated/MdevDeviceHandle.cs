namespace MdevCore.Mediated;

/// <summary>An open mdev (a device file descriptor): read, write, ioctl and mmap go to the vendor.</summary>
/// <remarks>
/// Missing vendor operations fail with <see cref="Errno.EINVAL"/>, as the seed's <c>vfio_mdev</c> did. A vendor
/// callback that throws gives <see cref="Errno.EIO"/> (logged, event 204) and the handle stays usable. While a handle
/// is open a modern-profile remove waits for it to be closed; a remove that gives up waiting
/// (<see cref="MdevHostOptions.RemoveWaitTimeout"/>) revokes it, and every later call gives <see cref="Errno.ENODEV"/>.
/// Thread safety: thread-safe; concurrent calls reach the vendor concurrently.
/// </remarks>
public sealed class MdevDeviceHandle : IDisposable
{
    private const int Open = 0;
    private const int Closed = 1;
    private const int Revoked = 2;

    private int _state;

    internal MdevDeviceHandle(MdevDevice device) => Device = device;

    /// <summary>The device.</summary>
    public MdevDevice Device { get; }

    /// <summary>Whether the handle has been closed (or revoked by a remove that stopped waiting for it).</summary>
    public bool IsClosed => Volatile.Read(ref _state) != Open;

    /// <summary>Reads device memory or registers at a device-file offset.</summary>
    /// <param name="buffer">Where the bytes go.</param>
    /// <param name="offset">The offset.</param>
    /// <returns>The byte count; <see cref="Errno.EBADF"/> after close; <see cref="Errno.ENODEV"/> after revocation;
    /// <see cref="Errno.EINVAL"/> without vendor support; <see cref="Errno.EIO"/> if the vendor threw; or the vendor's errno.</returns>
    public Result<int> Read(Span<byte> buffer, long offset)
    {
        if (Refuse() is { } refused)
        {
            return refused;
        }

        if (Device.MdevParent.Ops is not IMdevDeviceReadWrite rw)
        {
            return Errno.EINVAL;
        }

        try
        {
            return rw.Read(Device, buffer, offset);
        }
#pragma warning disable CA1031 // Vendor code: its fault is the caller's EIO.
        catch (Exception ex)
        {
            return Fault(ex, "read");
        }
    }

    /// <summary>Writes device memory or registers at a device-file offset.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="offset">The offset.</param>
    /// <returns>As <see cref="Read"/>.</returns>
    public Result<int> Write(ReadOnlySpan<byte> data, long offset)
    {
        if (Refuse() is { } refused)
        {
            return refused;
        }

        if (Device.MdevParent.Ops is not IMdevDeviceReadWrite rw)
        {
            return Errno.EINVAL;
        }

        try
        {
            return rw.Write(Device, data, offset);
        }
        catch (Exception ex)
        {
            return Fault(ex, "write");
        }
    }

    /// <summary>Issues an ioctl.</summary>
    /// <param name="command">The ioctl number.</param>
    /// <param name="argument">The argument buffer.</param>
    /// <returns>The return value, or an errno as for <see cref="Read"/>.</returns>
    public Result<long> Ioctl(uint command, Span<byte> argument)
    {
        if (Refuse() is { } refused)
        {
            return refused;
        }

        if (Device.MdevParent.Ops is not IMdevDeviceIoctl io)
        {
            return Errno.EINVAL;
        }

        try
        {
            return io.Ioctl(Device, command, argument);
        }
        catch (Exception ex)
        {
            return Fault(ex, "ioctl");
        }
    }

    /// <summary>Maps device memory.</summary>
    /// <param name="offset">The device-file offset.</param>
    /// <param name="length">The length.</param>
    /// <returns>The window, or an errno as for <see cref="Read"/>.</returns>
    public Result<Memory<byte>> Mmap(long offset, long length)
    {
        if (Refuse() is { } refused)
        {
            return refused;
        }

        if (Device.MdevParent.Ops is not IMdevDeviceMmap map)
        {
            return Errno.EINVAL;
        }

        try
        {
            return map.Mmap(Device, offset, length);
        }
        catch (Exception ex)
        {
            return Fault(ex, "mmap");
        }
#pragma warning restore CA1031
    }

    /// <summary>Closes the handle; the last close reaches the vendor's <see cref="IMdevDeviceOpen.Release"/>. Never throws.</summary>
    public void Dispose()
    {
        if (Interlocked.CompareExchange(ref _state, Closed, Open) == Open)
        {
            Device.Close(this);
        }
    }

    /// <summary>Marks the handle revoked unless it is already closed.</summary>
    /// <returns>Whether this call revoked it (the caller then closes it on the holder's behalf).</returns>
    internal bool TryRevoke() => Interlocked.CompareExchange(ref _state, Revoked, Open) == Open;

    private Errno? Refuse() => Volatile.Read(ref _state) switch
    {
        Open => null,
        Closed => Errno.EBADF,
        _ => Errno.ENODEV,
    };

    private Errno Fault(Exception exception, string callback)
    {
        Device.MdevParent.Manager.LogVendorFault(Device, exception, callback);
        return Errno.EIO;
    }
}
