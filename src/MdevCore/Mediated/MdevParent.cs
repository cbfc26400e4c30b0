using MdevCore.DriverModel;
using MdevCore.Internal;
using MdevCore.Sysfs;

namespace MdevCore.Mediated;

/// <summary>A physical device registered with the mdev core, with its supported types.</summary>
/// <remarks>
/// Kernel: <c>struct mdev_parent</c> (6.x) / <c>struct parent_device</c> (seed). Thread safety: thread-safe.
/// </remarks>
public sealed class MdevParent
{
    private readonly MdevManager _manager;
    private MdevType[] _types = [];

    private int _availableCounter;
    private int _childrenWalked;

    internal MdevParent(MdevManager manager, Device device, IMdevParentOps ops, MdevParentOptions options, VendorTables tables)
    {
        _manager = manager;
        Device = device;
        Ops = ops;
        Tables = tables;
        MaxInstances = options.MaxInstances;
        _availableCounter = options.MaxInstances;
        RequestedDriver = options.Driver;
        RequestedDriverName = options.DriverName;
    }

    /// <summary>The physical device.</summary>
    public Device Device { get; }

    /// <summary>The vendor callbacks.</summary>
    public IMdevParentOps Ops { get; }

    /// <summary>The types, in the order the vendor listed them.</summary>
    public IReadOnlyList<MdevType> Types => _types;

    /// <summary>The core's instance budget given at registration.</summary>
    public int MaxInstances { get; }

    /// <summary>Whether the vendor counts instances itself (<see cref="IMdevAvailableInstances"/>).</summary>
    public bool VendorCountsInstances => Ops is IMdevAvailableInstances;

    /// <summary>Whether the parent is registered and not unregistering.</summary>
    public bool IsRegistered => State == ParentState.Registered;

    /// <summary>The mdev bus driver that new devices of this parent bind to, or <see langword="null"/>.</summary>
    public DeviceDriver? Driver { get; internal set; }

    /// <summary>Finds a type by its directory name (<c>mtty-2</c>) or its sysfs name (<c>2</c>).</summary>
    /// <param name="id">Either name.</param>
    /// <returns>The type, or <see langword="null"/>.</returns>
    public MdevType? FindType(string id)
    {
        foreach (MdevType type in _types)
        {
            if (string.Equals(type.Id, id, StringComparison.Ordinal) || string.Equals(type.Info.SysfsName, id, StringComparison.Ordinal))
            {
                return type;
            }
        }

        return null;
    }

    /// <summary>The mdevs of this parent that are in the host's device list, in creation order.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<MdevDevice> GetDevices() => _manager.GetDevicesOf(this);

    internal ParentState State { get; set; } = ParentState.Registering;

    /// <summary>The vendor's types and attribute groups, read once at registration (the kernel's ops are constant).</summary>
    internal VendorTables Tables { get; }

    internal MdevManager Manager => _manager;

    internal DeviceDriver? RequestedDriver { get; }

    internal string? RequestedDriverName { get; }

    /// <summary>The core's counter (<c>mdev_parent.available_instances</c>); changed atomically. Under the
    /// seed profile, which did not enforce it, it may go below zero (readers show zero).</summary>
    internal int AvailableCounter => Volatile.Read(ref _availableCounter);

    /// <summary>Takes one instance from the core's counter.</summary>
    /// <param name="enforce">Refuse when none is left (modern); the seed only counted.</param>
    /// <returns>Whether one was taken.</returns>
    internal bool TryTakeInstance(bool enforce)
    {
        int seen = Volatile.Read(ref _availableCounter);
        while (!enforce || seen > 0)
        {
            int prior = Interlocked.CompareExchange(ref _availableCounter, seen - 1, seen);
            if (prior == seen)
            {
                return true;
            }

            seen = prior;
        }

        return false;
    }

    /// <summary>Gives an instance back to the core's counter.</summary>
    internal void ReturnInstance() => Interlocked.Increment(ref _availableCounter);

    internal UnregistrationGate Gate { get; } = new();

    /// <summary>The seed's per-parent mutex (<c>parent_device.lock</c>), serializing create and remove.</summary>
    internal Lock SeedLock { get; } = new();

    internal SysfsDirectory? TypesDirectory { get; set; }

    internal bool OwnsImplicitDriver { get; set; }

    /// <summary>Whether unregistration has started removing the children: a create finishing after this removes its own device.</summary>
    internal bool ChildrenWalked => Volatile.Read(ref _childrenWalked) != 0;

    /// <summary>Sets <see cref="ChildrenWalked"/> (a full fence, before the children are listed).</summary>
    internal void MarkChildrenWalked() => _ = Interlocked.Exchange(ref _childrenWalked, 1);

    /// <summary>Whether the vendor's parent groups are in the device's directory.</summary>
    internal bool ParentGroupsAdded { get; set; }

    internal void SetTypes(MdevType[] types) => _types = types;

    /// <summary>The vendor's count (<see cref="Errno.EIO"/> if it threw), else the core's counter.</summary>
    internal Result<int> GetAvailableInstances(MdevType type)
    {
        if (Ops is not IMdevAvailableInstances vendor)
        {
            return Math.Max(0, AvailableCounter);
        }

        try
        {
            return vendor.GetAvailableInstances(type);
        }
#pragma warning disable CA1031 // Vendor code: its fault is the reader's EIO.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _manager.LogVendorFault(type, ex, "get_available");
            return Errno.EIO;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Device.Name;

    internal enum ParentState
    {
        Registering,
        Registered,
        Unregistering,
        Unregistered,
    }
}
