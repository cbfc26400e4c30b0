using System.Diagnostics;
using MdevCore.Internal;
using MdevCore.Iommu;
using MdevCore.Sysfs;

namespace MdevCore.DriverModel;

/// <summary>A device in the host's device hierarchy (<c>/sys/devices/...</c>).</summary>
/// <remarks>
/// Kernel: <c>struct device</c>. Reference counted: the device model holds one reference from add
/// to delete, and leases, IOMMU group membership and children hold theirs; the device is released
/// when the last one is dropped. Only the core creates devices (see <see cref="DeviceModel"/>).
/// Thread safety: thread-safe.
/// </remarks>
public class Device : ISysfsNamed
{
    private RefCounter _ref = RefCounter.Initialized();
    private volatile DeviceDriver? _driver;
    private volatile bool _registered;
    private string? _name;

    /// <summary>Holders in the low bits, <see cref="DeletingBit"/> once a delete has begun (it stays set).</summary>
    private int _holds;

    private const int DeletingBit = 1 << 30;

    /// <summary>Makes a device object (not yet added).</summary>
    /// <param name="name">The name, or <see langword="null"/> for a device that formats it on first use (<see cref="FormatName()"/>).</param>
    /// <param name="parent">The parent device.</param>
    /// <param name="parentDirectory">The directory the device's directory goes into.</param>
    /// <param name="bus">The bus.</param>
    /// <param name="deviceClass">The class.</param>
    internal Device(string? name, Device? parent, SysfsDirectory parentDirectory, Bus? bus, DeviceClass? deviceClass)
    {
        _name = name;
        Parent = parent;
        ParentDirectory = parentDirectory;
        Bus = bus;
        Class = deviceClass;
    }

    /// <summary>The device name, the last component of its path (<c>dev_name</c>).</summary>
    public string Name => _name ?? InitializeName();

    /// <summary>The parent device, or <see langword="null"/> for a device at the top of a hierarchy.</summary>
    public Device? Parent { get; }

    /// <summary>The bus, or <see langword="null"/> for a class-only device.</summary>
    public Bus? Bus { get; }

    /// <summary>The class, or <see langword="null"/>.</summary>
    public DeviceClass? Class { get; }

    /// <summary>The bound driver, or <see langword="null"/>.</summary>
    public DeviceDriver? Driver => _driver;

    /// <summary>The path below <c>/sys</c>, as in <c>DEVPATH</c>: <c>/devices/pci0000:00/0000:00:02.0</c>.</summary>
    /// <remarks>Computed on each call (devices do not carry the string), from the parent directory's path.</remarks>
    public string DevPath => ParentDirectory.FullPath[SysfsTree.Root.Length..] + "/" + Name;

    /// <summary>The full sysfs path: <c>/sys/devices/...</c>.</summary>
    public string SysfsPath => SysfsTree.Root + DevPath;

    /// <summary>The subsystem: the bus name, else the class name.</summary>
    public string? Subsystem => Bus?.Name ?? Class?.Name;

    /// <summary>Whether the device is added and not yet deleted (<c>device_is_registered</c>).</summary>
    public bool IsRegistered => _registered;

    /// <summary>The IOMMU group the device belongs to, or <see langword="null"/>.</summary>
    public IommuGroup? IommuGroup { get; internal set; }

    /// <summary>What the kernel's <c>dev_driver_string</c> returns: the driver, else the bus, else the class name, else empty.</summary>
    public string DriverString => Driver?.Name ?? Bus?.Name ?? Class?.Name ?? string.Empty;

    /// <summary>Driver-private data (<c>dev_get_drvdata</c>/<c>dev_set_drvdata</c>).</summary>
    public object? DriverData { get; set; }

    /// <summary>The current reference count; for diagnostics and leak checks.</summary>
    public int ReferenceCount => _ref.Count;

    internal SysfsDirectory ParentDirectory { get; }

    /// <summary>The device model that added the device; set by device_add.</summary>
    internal DeviceModel? Model { get; set; }

    internal SysfsDirectory? Directory { get; set; }

    /// <summary>
    /// The driver-core device lock: probe, remove, bind and unbind of this device are serialized by it.
    /// It is the device object's own monitor, so that a million devices do not carry a million lock objects.
    /// </summary>
    internal object DeviceLock => this;

    /// <summary>device_del has begun (the kernel's <c>kill_device</c>): no driver binds any more; guarded by <see cref="DeviceLock"/>.</summary>
    internal bool IsDead { get; private set; }

    /// <summary>Marks the device dead (<c>kill_device</c>); the caller holds <see cref="DeviceLock"/>.</summary>
    internal void Kill_NeedsDeviceLock()
    {
        Debug.Assert(Monitor.IsEntered(DeviceLock), "kill_device needs the device lock");
        IsDead = true;
    }

    /// <summary>First and last child, in the order they were added; guarded by the device model lock.</summary>
    internal Device? FirstChild { get; set; }

    internal Device? LastChild { get; set; }

    /// <summary>Siblings under the same parent (an intrusive list: O(1) unlink); guarded by the device model lock.</summary>
    internal Device? NextSibling { get; set; }

    internal Device? PreviousSibling { get; set; }

    /// <summary>
    /// Whether the device is found by name through its bus's <see cref="Bus.Index"/> rather than stored in the bus's
    /// device map and its parent's directory (an mdev: the mdev list already finds it by UUID in O(1)).
    /// </summary>
    internal bool IsIndexed { get; private protected init; }

    /// <summary>The length of <see cref="Name"/>, known without formatting it.</summary>
    internal virtual int NameLength => Name.Length;

    internal void SetDriver(DeviceDriver? driver) => _driver = driver;

    /// <summary>The links the device's directory derives from it.</summary>
    internal virtual SysfsLinkGroup Links => DeviceModel.DeviceLinks;

    internal void SetRegistered(bool registered) => _registered = registered;

    /// <summary>Takes a reference (get_device). Pairs with <see cref="Put"/>.</summary>
    internal void Get() => _ref.Get();

    /// <summary>Takes a reference unless the device is being released.</summary>
    internal bool TryGet() => _ref.TryGet();

    /// <summary>Drops a reference (put_device); the last one runs <see cref="Release"/>.</summary>
    internal void Put()
    {
        if (_ref.Put())
        {
            Release();
        }
    }

    /// <summary>Whether a delete of this device has begun (or finished).</summary>
    internal bool IsDeleting => (Volatile.Read(ref _holds) & DeletingBit) != 0;

    /// <summary>Whether someone holds the device against deletion.</summary>
    internal bool IsHeld => (Volatile.Read(ref _holds) & ~DeletingBit) != 0;

    /// <summary>
    /// Holds the device against deletion (an mdev parent registration holds its device; an mdev is held by the mdev
    /// core for its whole life). Fails once a delete has begun. Pairs with <see cref="ReleaseHold"/>.
    /// </summary>
    /// <returns>Whether the hold was taken.</returns>
    internal bool TryHold()
    {
        int seen = Volatile.Read(ref _holds);
        while ((seen & DeletingBit) == 0)
        {
            int prior = Interlocked.CompareExchange(ref _holds, seen + 1, seen);
            if (prior == seen)
            {
                return true;
            }

            seen = prior;
        }

        return false;
    }

    /// <summary>Drops a hold taken by <see cref="TryHold"/>.</summary>
    internal void ReleaseHold()
    {
        if ((Interlocked.Decrement(ref _holds) & ~DeletingBit) == ~DeletingBit)
        {
            throw new InvalidOperationException("Device hold released more often than taken.");
        }
    }

    /// <summary>Starts a delete: only one caller wins, and only while nobody holds the device.</summary>
    /// <returns><see cref="Errno.None"/> for the winner; <see cref="Errno.EBUSY"/> while held; <see cref="Errno.ENODEV"/> if a delete already began.</returns>
    internal Errno TryBeginDelete()
    {
        int prior = Interlocked.CompareExchange(ref _holds, DeletingBit, 0);
        return prior == 0 ? Errno.None : (prior & DeletingBit) != 0 ? Errno.ENODEV : Errno.EBUSY;
    }

    /// <summary>Undoes <see cref="TryBeginDelete"/> when the delete was refused after all.</summary>
    internal void CancelDelete() => _ = Interlocked.And(ref _holds, ~DeletingBit);

    /// <summary>The attribute groups the bound driver's probe added (removed again at unbind); guarded by the device lock.</summary>
    internal IReadOnlyList<AttributeGroup>? DriverGroups { get; set; }

    /// <summary>The first step of device_add, under the tree lock; a failure stops the add.</summary>
    /// <returns>An errno, or <see cref="Errno.None"/>.</returns>
    internal virtual Errno Adding_NeedsTreeLock() => Errno.None;

    /// <summary>The name, formatted into <paramref name="buffer"/> if it has not been made yet (no allocation).</summary>
    /// <param name="buffer">Room for the name: 64 characters.</param>
    /// <returns>The name.</returns>
    internal ReadOnlySpan<char> GetName(Span<char> buffer) => _name ?? FormatName(buffer);

    /// <summary>Formats the name of a device made without one into <paramref name="buffer"/>.</summary>
    /// <param name="buffer">Room for the name: 64 characters.</param>
    /// <returns>The name.</returns>
    private protected virtual ReadOnlySpan<char> FormatName(Span<char> buffer) => FormatName();

    /// <summary>Formats the name of a device made without one.</summary>
    /// <returns>The name.</returns>
    private protected virtual string FormatName() => throw new InvalidOperationException("The device has no name.");

    private string InitializeName()
    {
        string name = FormatName();
        return Interlocked.CompareExchange(ref _name, name, null) ?? name;
    }

    /// <summary>Runs when the last reference is gone (the kernel's <c>release</c> callback).</summary>
    private protected virtual void Release()
    {
    }

    /// <summary>Adds the variables that follow <c>SUBSYSTEM</c> in this device's uevents and its <c>uevent</c> file.</summary>
    /// <param name="env">The list to add to.</param>
    /// <param name="driverName">The driver bound when the event was raised, or <see langword="null"/>.</param>
    internal virtual void AddDeviceVariables(List<KeyValuePair<string, string>> env, string? driverName)
    {
        if (driverName is not null)
        {
            env.Add(new("DRIVER", driverName));
        }
    }

    /// <inheritdoc/>
    public override string ToString() => SysfsPath;
}
