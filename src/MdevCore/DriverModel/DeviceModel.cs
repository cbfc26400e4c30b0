using System.Diagnostics;
using MdevCore.Diagnostics;
using MdevCore.Sysfs;
using Microsoft.Extensions.Logging;

namespace MdevCore.DriverModel;

/// <summary>The driver core of one host: buses, classes, devices, drivers and binding.</summary>
/// <remarks>
/// Kernel: <c>drivers/base</c>. The model lock guards the bus, class and driver maps; the device
/// hierarchy and each bus's device map belong to the sysfs structure and are guarded by the tree
/// lock, which ranks below it. Driver callbacks run under the device's own lock and never under
/// the model lock or the tree lock.
/// Thread safety: thread-safe.
/// </remarks>
public sealed partial class DeviceModel
{
    private readonly Lock _lock = new();

    /// <summary>Serializes bus registrations (ranks above the model lock; held only while a bus is made).</summary>
    private readonly Lock _busRegistration = new();
    private readonly SysfsTree _tree;
    private readonly UEventLog _uevents;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Bus> _buses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeviceClass> _classes = new(StringComparer.Ordinal);
    private volatile Bus[] _indexedBuses = [];

    internal DeviceModel(SysfsTree tree, UEventLog uevents, ILogger logger, KernelProfile profile = KernelProfile.Modern)
    {
        Profile = profile;
        _tree = tree;
        _uevents = uevents;
        _logger = logger;
        Pci = RegisterBus("pci");
        Platform = RegisterBus("platform");
    }

    /// <summary>The kernel generation whose driver-core behaviour the model follows (synthetic uevents).</summary>
    internal KernelProfile Profile { get; }

    /// <summary>The buses that have an <see cref="Bus.Index"/>; replaced whole when one is added.</summary>
    internal IReadOnlyList<Bus> IndexedBuses => _indexedBuses;

    /// <summary>Gives <paramref name="bus"/> the index that finds its indexed devices (see <see cref="Device.IsIndexed"/>).</summary>
    internal void SetIndex(Bus bus, IDeviceIndex index)
    {
        lock (_lock)
        {
            bus.Index = index;
            _indexedBuses = [.. _indexedBuses, bus];
        }
    }

    /// <summary>The <c>pci</c> bus.</summary>
    public Bus Pci { get; }

    /// <summary>The <c>platform</c> bus.</summary>
    public Bus Platform { get; }

    /// <summary>Finds a bus by name.</summary>
    /// <param name="name">The bus name.</param>
    /// <param name="bus">The bus.</param>
    /// <returns>Whether it exists.</returns>
    public bool TryGetBus(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Bus? bus)
    {
        lock (_lock)
        {
            return _buses.TryGetValue(name, out bus);
        }
    }

    /// <summary>Finds a class by name.</summary>
    /// <param name="name">The class name.</param>
    /// <param name="deviceClass">The class.</param>
    /// <returns>Whether it exists.</returns>
    public bool TryGetClass(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DeviceClass? deviceClass)
    {
        lock (_lock)
        {
            return _classes.TryGetValue(name, out deviceClass);
        }
    }

    /// <summary>Gets a class, creating <c>/sys/class/&lt;name&gt;</c> on first use.</summary>
    /// <param name="name">The class name.</param>
    /// <returns>The class.</returns>
    public DeviceClass GetOrCreateClass(string name)
    {
        SysfsNames.Validate(name);
        lock (_lock)
        {
            if (!_classes.TryGetValue(name, out DeviceClass? deviceClass))
            {
                deviceClass = new DeviceClass(name, _tree.GetOrCreateDirectory(_tree.Class, name));
                _classes.Add(name, deviceClass);
            }

            return deviceClass;
        }
    }

    // ---- adding and deleting devices ----

    /// <summary>Adds a simulated PCI function under its host bridge (<c>/sys/devices/pci0000:00/0000:00:02.0</c>).</summary>
    /// <param name="address">The address <c>DDDD:BB:SS.F</c>, lower-case hex.</param>
    /// <param name="ids">Its identity.</param>
    /// <returns>The device; <see cref="Errno.EINVAL"/> for a malformed address; <see cref="Errno.EEXIST"/> if it exists.</returns>
    public Result<PciDevice> AddPciDevice(string address, PciIds ids) => AddPciDevice(address, ids, PciDeviceOptions.Default);

    /// <summary>Adds a simulated PCI function with a NUMA node, link, BARs, interrupt or local CPUs of its own.</summary>
    /// <param name="address">The address <c>DDDD:BB:SS.F</c>, lower-case hex.</param>
    /// <param name="ids">Its identity.</param>
    /// <param name="options">What else it reports.</param>
    /// <returns>The device; <see cref="Errno.EINVAL"/> for a malformed address; <see cref="Errno.EEXIST"/> if it exists.</returns>
    /// <exception cref="ArgumentException">The options describe no possible function (a NUMA node out of range, an invalid BAR or link).</exception>
    public Result<PciDevice> AddPciDevice(string address, PciIds ids, PciDeviceOptions options)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!PciAddress.IsValid(address))
        {
            return Errno.EINVAL;
        }

        SysfsDirectory bridge = _tree.GetOrCreateDirectory(_tree.Devices, "pci" + address[..7]);
        var device = new PciDevice(address, ids, options, bridge, Pci);
        Errno error = AddDevice(device, PciDevice.Attributes);
        return error == Errno.None ? device : error;
    }

    /// <summary>Adds a device directly under <c>/sys/devices</c> with no parent, bus or class, as
    /// <c>root_device_register</c> does (for example the s390 channel subsystem <c>css0</c>, whose children are
    /// the CCW subchannels).</summary>
    /// <param name="name">The device name.</param>
    /// <returns>The device, or <see cref="Errno.EEXIST"/>.</returns>
    public Result<Device> AddRootDevice(string name)
    {
        SysfsNames.Validate(name);
        var device = new Device(name, null, _tree.Devices, null, null);
        Errno error = AddDevice(device, DefaultAttributes);
        return error == Errno.None ? device : error;
    }

    /// <summary>Adds a platform device (<c>/sys/devices/platform/&lt;name&gt;</c>).</summary>
    /// <param name="name">The device name.</param>
    /// <returns>The device, or <see cref="Errno.EEXIST"/>.</returns>
    public Result<Device> AddPlatformDevice(string name)
    {
        SysfsNames.Validate(name);
        var device = new Device(name, null, _tree.DevicesPlatform, Platform, null);
        Errno error = AddDevice(device, DefaultAttributes);
        return error == Errno.None ? device : error;
    }

    /// <summary>Adds a class device with no parent (<c>/sys/devices/virtual/&lt;class&gt;/&lt;name&gt;</c>), as the mdev samples do.</summary>
    /// <param name="className">The class, created if needed.</param>
    /// <param name="name">The device name.</param>
    /// <returns>The device, or <see cref="Errno.EEXIST"/>.</returns>
    public Result<Device> AddVirtualDevice(string className, string name)
    {
        SysfsNames.Validate(name);
        DeviceClass deviceClass = GetOrCreateClass(className);
        SysfsDirectory classDir = _tree.GetOrCreateDirectory(_tree.DevicesVirtual, className);
        var device = new Device(name, null, classDir, null, deviceClass);
        Errno error = AddDevice(device, DefaultAttributes);
        return error == Errno.None ? device : error;
    }

    /// <summary>Adds a device below another one (for example a CCW subchannel below <c>css0</c>).</summary>
    /// <param name="parent">The parent device.</param>
    /// <param name="name">The device name.</param>
    /// <param name="bus">Its bus, or <see langword="null"/>.</param>
    /// <param name="deviceClass">Its class, or <see langword="null"/>.</param>
    /// <returns>The device; <see cref="Errno.ENODEV"/> if the parent is gone; <see cref="Errno.EEXIST"/> if the name is taken.</returns>
    public Result<Device> AddChildDevice(Device parent, string name, Bus? bus = null, DeviceClass? deviceClass = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        SysfsNames.Validate(name);
        if (!parent.IsRegistered || parent.Directory is null)
        {
            return Errno.ENODEV;
        }

        var device = new Device(name, parent, parent.Directory, bus, deviceClass);
        Errno error = AddDevice(device, DefaultAttributes);
        return error == Errno.None ? device : error;
    }

    /// <summary>device_add: sysfs directory, standard entries, bus and class links, then KOBJ_ADD.</summary>
    /// <param name="device">The device.</param>
    /// <param name="defaults">Its default attributes (include <see cref="UEventAttribute"/>), created lazily.</param>
    /// <param name="moreGroups">Further groups, created now, before KOBJ_ADD.</param>
    /// <remarks>Everything up to KOBJ_ADD happens in one tree-lock section: a reader sees the device
    /// with all of its entries or not at all, and a failure leaves nothing behind.</remarks>
    internal Errno AddDevice(Device device, AttributeGroup defaults, IReadOnlyList<AttributeGroup>? moreGroups = null)
    {
        Errno error;
        string? collision;
        bool[]?[] hidden = new bool[]?[moreGroups?.Count ?? 0];
        for (int i = 0; i < hidden.Length; i++)
        {
            // Visibility callbacks may be vendor code: asked before the tree lock is taken.
            Result<bool[]?> mask = _tree.GetHidden(moreGroups![i], device, device.ParentDirectory.FullPath);
            if (!mask.TryGetValue(out hidden[i]))
            {
                return mask.Error;
            }
        }

        using (_tree.EnterScope())
        {
            error = AddDevice_NeedsTreeLock(device, defaults, moreGroups, hidden, out collision);
        }

        if (collision is not null)
        {
            Log.DuplicateFilename(_logger, collision);
        }

        if (error != Errno.None)
        {
            return error;
        }

        _uevents.Raise(device, UEventAction.Add);
        return Errno.None;
    }

    private Errno AddDevice_NeedsTreeLock(Device device, AttributeGroup defaults, IReadOnlyList<AttributeGroup>? moreGroups, bool[]?[] hidden, out string? collision)
    {
        collision = null;
        SysfsDirectory parentDir = device.ParentDirectory;
        if (parentDir.IsRemoved)
        {
            return Errno.ENOENT;
        }

        if (device.Parent is { IsDeleting: true })
        {
            return Errno.ENODEV;
        }

        Errno adding = device.Adding_NeedsTreeLock();
        if (adding != Errno.None)
        {
            return adding;
        }

        if (device.Class is { } deviceClass && deviceClass.Directory.Find_NeedsLock(device.Name) is not null)
        {
            return Errno.EEXIST;
        }

        // An indexed device's name is checked against everything stored where it appears, since it is not stored there
        // itself; its index (the mdev list) already holds no other device of that name.
        if (device.IsIndexed ? IndexedNameTaken_NeedsLock(device, out collision) : device.Bus?.Index?.Find(device.Name) is { IsRegistered: true })
        {
            collision ??= device.Bus!.DevicesDirectory.FullPath + "/" + device.Name;
            return Errno.EEXIST;
        }

        // Groups given to device_add exist before KOBJ_ADD, so udev sees them (the 2018 re-ordering fix);
        // they go into the directory before it is published, so a failed group leaves nothing to undo.
        // The directory takes its name from the device (an mdev formats its UUID only when someone asks).
        var dir = new SysfsDirectory(null, parentDir, defaults, device, device.Links, IndexedChildrenSource.Instance);
        for (int i = 0; moreGroups is not null && i < moreGroups.Count; i++)
        {
            Errno error = _tree.AddGroup_NeedsLock(dir, moreGroups[i], device, hidden[i]);
            if (error != Errno.None)
            {
                return error;
            }
        }

        if (!device.IsIndexed && !parentDir.TryAdd_NeedsLock(dir))
        {
            collision = device.SysfsPath;
            return Errno.EEXIST;
        }

        if (device.Bus is { } bus && !device.IsIndexed && !bus.NamedDevices.TryAdd(device.Name, device))
        {
            parentDir.Remove_NeedsLock(dir);
            collision = bus.DevicesDirectory.FullPath + "/" + device.Name;
            return Errno.EEXIST;
        }

        if (device.Class is { } c)
        {
            _ = c.Directory.TryAdd_NeedsLock(new SysfsSymlink(device.Name, c.Directory, dir));
        }

        device.Directory = dir;
        device.Model = this;
        if (device.Parent is { } parent)
        {
            LinkChild_NeedsLock(parent, device);
            parent.Get(); // A child pins its parent; pairs with the Put in DeleteCore.
        }

        device.SetRegistered(true);
        return Errno.None;
    }

    /// <summary>
    /// Whether an indexed device's name is taken where the device appears: by an entry stored in its parent's directory
    /// or by a device in its bus's map (its index, the mdev list, already holds no other device of that name). The
    /// name is formatted only when a name of its length exists in either place.
    /// </summary>
    private static bool IndexedNameTaken_NeedsLock(Device device, out string? collision)
    {
        collision = null;
        Bus? bus = device.Bus;
        bool busHasNames = bus is not null && bus.NamedDevices.Count > 0;
        if (!busHasNames && !device.ParentDirectory.MayHaveOwnEntryOfLength_NeedsLock(device.NameLength))
        {
            return false;
        }

        Span<char> buffer = stackalloc char[64];
        ReadOnlySpan<char> name = device.GetName(buffer);
        if (device.ParentDirectory.HasOwnEntry_NeedsLock(name))
        {
            collision = device.SysfsPath;
            return true;
        }

        return busHasNames && bus!.NamedDevices.GetAlternateLookup<ReadOnlySpan<char>>().ContainsKey(name);
    }

    [Conditional("DEBUG")]
    private void AssertTreeLockHeld() => Debug.Assert(_tree.IsLockHeld);
}
