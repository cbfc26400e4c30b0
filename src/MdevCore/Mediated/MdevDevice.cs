using MdevCore.DriverModel;
using MdevCore.Sysfs;

namespace MdevCore.Mediated;

/// <summary>A mediated device: <c>/sys/bus/mdev/devices/&lt;uuid&gt;</c>.</summary>
/// <remarks>
/// Kernel: <c>struct mdev_device</c> embedding its <c>struct device</c>. It stays in the host's device
/// list, and its UUID stays taken, until the last reference is dropped (<c>mdev_device_release</c>).
/// Thread safety: thread-safe.
/// </remarks>
public sealed class MdevDevice : Device
{
    private readonly MdevManager _manager;
    private object? _openSync;
    private bool _typeLinked;
    private int _openCount;
    private int _active;
    private int _created;
    private int _openable;
    private int _removalClaimed;
    private List<MdevDeviceHandle>? _handles;

    internal MdevDevice(MdevManager manager, MdevType type, Guid uuid, Bus bus)
        : base(null, type.Parent.Device, type.Parent.Device.Directory!, bus, null)
    {
        _manager = manager;
        Type = type;
        Uuid = uuid;
        IsIndexed = true;

        // The mdev core holds its devices for their whole life: only remove deletes one, never DeleteDevice.
        _ = TryHold();
    }

    /// <summary>The UUID; the device name is its lower-case form.</summary>
    public Guid Uuid { get; }

    /// <summary>The type it was created with.</summary>
    public MdevType Type { get; }

    /// <summary>The parent registration.</summary>
    public MdevParent MdevParent => Type.Parent;

    /// <summary>Whether create has finished and no remove has begun (<c>mdev_device.active</c>).</summary>
    public bool IsActive => Volatile.Read(ref _active) != 0;

    /// <summary>Whether the device has been released (its UUID is free again).</summary>
    public bool IsReleased { get; private set; }

    /// <summary>How many handles from <see cref="Open"/> are open.</summary>
    public int OpenCount => Volatile.Read(ref _openCount);

    /// <summary>Opens the device, as VFIO's device-file open does: the first open reaches the vendor's
    /// <see cref="IMdevDeviceOpen.Open"/>.</summary>
    /// <returns>A handle; <see cref="Errno.ENODEV"/> if the device is not active, not bound to a driver (it has no VFIO
    /// device then) or was removed while the vendor opened it; <see cref="Errno.EIO"/> if the vendor's open threw; or
    /// the vendor's errno.</returns>
    public Result<MdevDeviceHandle> Open()
    {
        lock (OpenSync)
        {
            // Count first, then check: remove and unbind forbid opens first, then read the count (WaitUntilClosed),
            // so at least one of the two sees the other (both are full fences).
            int count = Interlocked.Increment(ref _openCount);
            if (!IsActive || Volatile.Read(ref _openable) == 0 || !IsRegistered || !TryGet())
            {
                UndoOpen_NeedsLock();
                return Errno.ENODEV;
            }

            // The reference above is the handle's; it is taken before the vendor runs, so a vendor that removes its own
            // device from Open cannot release it under our feet. It pairs with the Put in Close, or below.
            if (count == 1 && MdevParent.Ops is IMdevDeviceOpen)
            {
                Errno error = _manager.CallVendor(this, static (ops, m) => ((IMdevDeviceOpen)ops).Open(m), "open");
                if (error == Errno.None && Volatile.Read(ref _openable) == 0)
                {
                    // Removed or unbound while the vendor opened it: undo the vendor's open.
                    CallRelease();
                    error = Errno.ENODEV;
                }

                if (error != Errno.None)
                {
                    UndoOpen_NeedsLock();
                    Put();
                    return error;
                }
            }

            var handle = new MdevDeviceHandle(this);
            (_handles ??= []).Add(handle);
            return handle;
        }
    }

    /// <summary>Closes one handle: the last close reaches the vendor's release; its reference is dropped.</summary>
    internal void Close(MdevDeviceHandle handle)
    {
        lock (OpenSync)
        {
            _ = _handles!.Remove(handle);
            if (_openCount == 1)
            {
                CallRelease();
            }

            UndoOpen_NeedsLock();
        }

        Put(); // Pairs with the TryGet in Open.
    }

    /// <summary>Probe succeeded: the device has a VFIO side and may be opened.</summary>
    internal void AllowOpen() => _ = Interlocked.Exchange(ref _openable, 1);

    /// <summary>Remove or unbind began: no new open succeeds (a full fence, before the open count is read).</summary>
    internal void DisallowOpen() => _ = Interlocked.Exchange(ref _openable, 0);

    /// <summary>Closes every open handle on its holder's behalf, after a remove gave up waiting: calls on them fail
    /// with <see cref="Errno.ENODEV"/> from now on; calls already inside the vendor finish.</summary>
    internal void RevokeHandles()
    {
        List<MdevDeviceHandle> revoked = [];
        lock (OpenSync)
        {
            foreach (MdevDeviceHandle handle in _handles ?? [])
            {
                if (handle.TryRevoke())
                {
                    revoked.Add(handle);
                }
            }
        }

        foreach (MdevDeviceHandle handle in revoked)
        {
            Close(handle);
        }

        if (revoked.Count > 0)
        {
            _manager.LogHandlesRevoked(this, revoked.Count);
        }
    }

    /// <summary>Waits until no handle is open (vfio_unregister_group_dev); <see langword="false"/> on timeout.</summary>
    internal bool WaitUntilClosed(TimeSpan timeout)
    {
        // Called after opens were forbidden: an open that counted itself after this read sees that and backs out.
        if (Volatile.Read(ref _openCount) == 0)
        {
            return true;
        }

        lock (OpenSync)
        {
            if (_openCount == 0)
            {
                return true;
            }

            _manager.LogWaitingForRelease(this);
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            while (_openCount > 0)
            {
                TimeSpan left = Timeout.InfiniteTimeSpan;
                if (timeout != Timeout.InfiniteTimeSpan)
                {
                    left = timeout - System.Diagnostics.Stopwatch.GetElapsedTime(start);
                    if (left <= TimeSpan.Zero)
                    {
                        return false;
                    }
                }

                _ = Monitor.Wait(OpenSync, left);
            }

            return true;
        }
    }

    private void CallRelease()
    {
        if (MdevParent.Ops is IMdevDeviceOpen)
        {
            // release returns nothing: a vendor that throws is logged, and the close goes on.
            _ = _manager.CallVendor(this, static (ops, m) =>
            {
                ((IMdevDeviceOpen)ops).Release(m);
                return Errno.None;
            }, "release");
        }
    }

    private void UndoOpen_NeedsLock()
    {
        if (Interlocked.Decrement(ref _openCount) == 0)
        {
            Monitor.PulseAll(OpenSync);
        }
    }

    /// <summary>A UUID in its <c>D</c> form is always 36 characters.</summary>
    internal override int NameLength => 36;

    /// <summary>Whether the device made it into the mdev list (set under the tree lock, never cleared: a released
    /// device leaves the list for good).</summary>
    internal bool IsListed { get; set; }

    /// <summary>device_add's first step for an mdev: list it (the kernel's list_add in mdev_device_create) in the
    /// same tree-lock section, unless it already is (the seed lists it before the vendor's create).</summary>
    internal override Errno Adding_NeedsTreeLock() =>
        IsListed || _manager.DeviceList.TryAdd_NeedsLock(this, out _) ? Errno.None : Errno.EEXIST;

    /// <summary>The lower-case UUID, formatted the first time someone asks for the name.</summary>
    private protected override string FormatName() => Uuid.ToString("D");

    private protected override ReadOnlySpan<char> FormatName(Span<char> buffer) =>
        Uuid.TryFormat(buffer, out int written, "D") ? buffer[..written] : FormatName();

    private protected override void Release()
    {
        IsReleased = true;
        _manager.ReleaseDevice(this);
    }

    /// <summary>Create has finished: remove may now take the device.</summary>
    internal void Activate()
    {
        Volatile.Write(ref _created, 1);
        Volatile.Write(ref _active, 1);
    }

    /// <summary>The create finished once (the device may have been deactivated since by a remove in flight).</summary>
    internal bool WasCreated => Volatile.Read(ref _created) != 0;

    /// <summary>Claims the one removal of the device (device_del and the creator's put); only one caller wins.</summary>
    /// <returns>Whether this caller claimed it.</returns>
    internal bool TryClaimRemoval() => Interlocked.Exchange(ref _removalClaimed, 1) == 0;

    /// <summary>Takes the device out of the active state; only one caller wins.</summary>
    /// <returns>Whether this caller deactivated it.</returns>
    internal bool TryDeactivate() => Interlocked.CompareExchange(ref _active, 0, 1) == 1;

    /// <summary>Whether the <c>mdev_type</c> link exists: set after bind, cleared first at removal.</summary>
    internal bool TypeLinked
    {
        get => Volatile.Read(ref _typeLinked);
        set => Volatile.Write(ref _typeLinked, value);
    }

    internal override SysfsLinkGroup Links => MdevLinks;

    private static readonly SysfsLinkGroup MdevLinks = new(
        DeviceModel.DeviceLinks[0],
        DeviceModel.DeviceLinks[1],
        DeviceModel.DeviceLinks[2],
        new SysfsLinkDefinition("mdev_type", static owner => owner is MdevDevice { TypeLinked: true } m ? m.Type.Directory : null));

    /// <summary>Guards the open count; allocated by the first open, since most devices are never opened in bulk runs.</summary>
    private object OpenSync => _openSync ?? Interlocked.CompareExchange(ref _openSync, new object(), null) ?? _openSync;
}
