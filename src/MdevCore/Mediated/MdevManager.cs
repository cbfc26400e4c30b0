using MdevCore.Diagnostics;
using MdevCore.DriverModel;
using MdevCore.Iommu;
using MdevCore.Sysfs;
using Microsoft.Extensions.Logging;

namespace MdevCore.Mediated;

/// <summary>The mdev core of one host: the <c>mdev</c> bus, parent registration, the device list, create and remove.</summary>
/// <remarks>
/// Kernel: <c>drivers/vfio/mdev/mdev_core.c</c>. Lock order, outermost first: a parent's
/// unregistration gate, a device's lock, the mdev list lock, the device-model lock, the IOMMU group
/// lock, the sysfs tree lock (docs/threading.md). Vendor callbacks never run under the list lock.
/// Thread safety: thread-safe.
/// </remarks>
public sealed partial class MdevManager
{
    /// <summary>The name of the IOMMU group the modern kernel gives emulated (mdev) devices.</summary>
    public const string EmulatedIommuGroupName = "vfio-noiommu";

    private readonly Lock _listLock = new();
    private readonly Lock _seedRegistrationLock = new();

    /// <summary>Guards <see cref="_implicitDrivers"/> and is held across registering or unregistering one of them.</summary>
    private readonly Lock _implicitDriverLock = new();
    /// <summary>The device list (<c>mdev_list</c>): lock-free lookups; entries are added by create and removed on release.</summary>
    private readonly MdevList _devices;
    private readonly Dictionary<Device, MdevParent> _parents = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, ImplicitDriver> _implicitDrivers = new(StringComparer.Ordinal);
    private readonly DeviceModel _model;
    private readonly SysfsTree _tree;
    private readonly UEventLog _uevents;
    private readonly IommuGroupRegistry _iommu;
    private readonly ILogger _logger;
    private readonly MdevHostOptions _options;

    internal MdevManager(MdevHostOptions options, DeviceModel model, SysfsTree tree, UEventLog uevents, IommuGroupRegistry iommu, ILogger logger)
    {
        _options = options;
        _model = model;
        _tree = tree;
        _uevents = uevents;
        _iommu = iommu;
        _logger = logger;
        _devices = new MdevList(tree);
        Bus = model.RegisterBus("mdev");
        model.SetIndex(Bus, _devices);
        Bus.Probe = new MdevBusProbe(this);
        Bus.Match = Profile == KernelProfile.Seed ? null : static (_, _) => false;
        Bus.ProbeOnDriverRegistration = Profile == KernelProfile.Seed;
        if (Profile == KernelProfile.Modern)
        {
            // 6.5+: the compat class exists from module init on, before any parent registers.
            CompatClass = model.GetOrCreateClass("mdev_bus");
        }
    }

    /// <summary>The behaviour profile of the host.</summary>
    public KernelProfile Profile => _options.Profile;

    /// <summary>The <c>mdev</c> bus.</summary>
    public Bus Bus { get; }

    /// <summary>Number of mdevs in the device list (created, not yet released).</summary>
    public int DeviceCount
    {
        get => _devices.Count;
    }

    internal DeviceClass? CompatClass { get; private set; }

    internal IommuGroupRegistry Iommu => _iommu;

    internal MdevList DeviceList => _devices;

    internal TimeSpan RemoveWaitTimeout => _options.RemoveWaitTimeout;

    /// <summary>Finds an mdev by UUID (no reference is taken; see <see cref="AcquireDevice"/>).</summary>
    /// <param name="uuid">The UUID.</param>
    /// <param name="device">The device.</param>
    /// <returns>Whether it is in the device list.</returns>
    public bool TryGetDevice(Guid uuid, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MdevDevice? device)
    {
        return _devices.TryGet(uuid, out device);
    }

    /// <summary>Takes a reference on an mdev; while the lease is held the device is not released and its UUID stays taken.</summary>
    /// <param name="uuid">The UUID.</param>
    /// <returns>The lease, or <see cref="Errno.ENODEV"/> if no such device is alive.</returns>
    public Result<Lease<MdevDevice>> AcquireDevice(Guid uuid)
    {
        if (!_devices.TryGet(uuid, out MdevDevice? device) || !device.TryGet())
        {
            return Errno.ENODEV;
        }

        // Pairs with the Put run by disposing the lease.
        return new Lease<MdevDevice>(device, static d => d.Put());
    }

    /// <summary>All mdevs in the device list.</summary>
    /// <returns>A snapshot, ordered by UUID text.</returns>
    public IReadOnlyList<MdevDevice> GetDevices()
    {
        List<MdevDevice> list = [.. _devices.Devices];
        list.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    /// <summary>The registered parents.</summary>
    /// <returns>A snapshot, ordered by device name.</returns>
    public IReadOnlyList<MdevParent> GetParents()
    {
        List<MdevParent> list;
        lock (_listLock)
        {
            list = [.. _parents.Values.Where(p => p.State == MdevParent.ParentState.Registered)];
        }

        list.Sort(static (a, b) => string.CompareOrdinal(a.Device.Name, b.Device.Name));
        return list;
    }

    /// <summary>Finds the registration of a parent device.</summary>
    /// <param name="device">The physical device.</param>
    /// <param name="parent">The registration.</param>
    /// <returns>Whether it is registered.</returns>
    public bool TryGetParent(Device device, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MdevParent? parent)
    {
        lock (_listLock)
        {
            return _parents.TryGetValue(device, out parent) && parent.State == MdevParent.ParentState.Registered;
        }
    }

    internal IReadOnlyList<MdevDevice> GetDevicesOf(MdevParent parent)
    {
        var list = new List<MdevDevice>();
        foreach (Device child in _model.GetChildren(parent.Device))
        {
            if (child is MdevDevice mdev && ReferenceEquals(mdev.MdevParent, parent))
            {
                list.Add(mdev);
            }
        }

        return list;
    }


    /// <summary>mdev_device_release: the last reference is gone; unlink, and give the instance back.</summary>
    internal void ReleaseDevice(MdevDevice device)
    {
        // Only this device's entry goes; another device holding the UUID now stays listed.
        if (device.IsListed)
        {
            _devices.Remove(device);
        }
        if (!device.MdevParent.VendorCountsInstances)
        {
            device.MdevParent.ReturnInstance();
        }
    }

    internal void LogWaitingForRelease(MdevDevice device) => Log.RemoveWaitingForRelease(_logger, device.Uuid);

    internal void LogHandlesRevoked(MdevDevice device, int count) => Log.HandlesRevoked(_logger, device.Uuid, count);

    internal void LogPinsRevoked(MdevDevice device, ulong start, ulong end, int requests) => Log.PinsRevoked(_logger, device.Uuid, start, end, requests);

    internal void LogVendorFault(MdevDevice device, Exception exception, string callback) => Log.VendorCallbackFailed(_logger, exception, callback, device.Uuid);

    internal void LogVendorFault(MdevType type, Exception exception, string callback) => Log.VendorTypeCallbackFailed(_logger, exception, callback, type.Id);

    internal void LogRemoveWaitTimedOut(MdevDevice device) => Log.RemoveWaitTimedOut(_logger, device.Uuid, RemoveWaitTimeout);

    private sealed class ImplicitDriver(DeviceDriver driver)
    {
        public DeviceDriver Driver { get; } = driver;

        public int Users { get; set; }
    }
}
