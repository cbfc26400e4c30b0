using MdevCore.Mediated;
using MdevCore.Sysfs;
using MdevCore.Vfio;

namespace MdevCore.Samples.Mtty;

/// <summary>
/// The mtty sample: a virtual PCI card with one or two 16550 UARTs in loopback, sold in two types
/// (<c>mtty-1</c>, <c>mtty-2</c>) that share a pool of ports the driver counts itself.
/// </summary>
/// <remarks>
/// Kernel: <c>samples/vfio-mdev/mtty.c</c>. <see cref="Register"/> adds the class device
/// <c>/sys/devices/virtual/mtty/mtty</c> and makes it an mdev parent; under the modern profile the driver is
/// its own mdev driver (named <c>mtty</c>), under the seed profile register a <see cref="VfioMdevDriver"/> on
/// the host to reach the devices through VFIO. Creating a device takes ports from the pool or fails with
/// <see cref="Errno.ENOSPC"/>; removing it gives them back. Device regions: config space (index 7) and one
/// 8-byte I/O BAR per port, at <c>index &lt;&lt; 40</c>. Thread safety: thread-safe.
/// </remarks>
public sealed class MttyDriver :
    IMdevParentOps, IMdevAvailableInstances, IMdevDeviceAttributeGroups, IMdevParentAttributeGroups,
    IMdevDeviceOpen, IMdevDeviceReadWrite, IMdevDeviceIoctl
{
    /// <summary>The class, device and driver name.</summary>
    public const string Name = "mtty";

    /// <summary>The PCI vendor id in config space.</summary>
    public const ushort VendorId = 0x4348;

    /// <summary>The PCI device id in config space.</summary>
    public const ushort DeviceId = 0x3253;

    private readonly MttyOptions _options;
    private readonly AttributeGroup[] _seedParentGroups;
    private int _freePorts;
    private readonly SampleRegistration _registration = new(Name);
    private EventTriggerTable? _eventFds;
    private KernelProfile _profile;
    private VfioFileTable? _files;
    private IReadOnlyList<AttributeGroup> _parentGroups = [];

    /// <summary>Creates the driver with its port pool.</summary>
    /// <param name="options">The pool size; <see langword="null"/> for the kernel's 24 ports.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative pool.</exception>
    public MttyDriver(MttyOptions? options = null)
    {
        _options = options ?? new MttyOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(_options.TotalPorts);
        _freePorts = _options.TotalPorts;
        SupportedTypes =
        [
            new MdevTypeInfo("1", MdevTypeInfo.VfioPci, "Single port serial"),
            new MdevTypeInfo("2", MdevTypeInfo.VfioPci, "Dual port serial"),
        ];
        DeviceAttributeGroups =
        [
            new AttributeGroup("vendor", [SysfsAttribute.ReadOnly<MdevDevice>("sample_mdev_dev", static m => $"This is MDEV {m.Name}\n")]),
        ];
        _seedParentGroups =
        [
            new AttributeGroup("mtty_dev", [SysfsAttribute.Constant("sample_mtty_dev", "This is phy device\n")]),
        ];
    }

    /// <summary>The parent after <see cref="Register"/>, else <see langword="null"/>.</summary>
    public MdevParent? Parent => _registration.Parent;

    /// <summary>Ports not taken by any device.</summary>
    public int FreePorts => Volatile.Read(ref _freePorts);

    /// <inheritdoc/>
    public IReadOnlyList<MdevTypeInfo> SupportedTypes { get; }

    /// <summary>The <c>vendor/sample_mdev_dev</c> attribute of each device: <c>This is MDEV &lt;uuid&gt;</c>.</summary>
    public IReadOnlyList<AttributeGroup> DeviceAttributeGroups { get; }

    /// <summary>Under the seed profile the parent carries <c>mtty_dev/sample_mtty_dev</c> ("This is phy device");
    /// the 6.x sample dropped it, so under the modern profile the list is empty.</summary>
    public IReadOnlyList<AttributeGroup> ParentAttributeGroups => _parentGroups;

    /// <summary>Simulates an allocation failure after the ports were taken (tests of the unwinding path); not public API.</summary>
    internal Func<MdevDevice, Errno>? AllocationFault { get; set; }

    /// <summary>Loads the sample into a host: adds <c>/sys/devices/virtual/mtty/mtty</c> and registers it as a parent.</summary>
    /// <param name="host">The host.</param>
    /// <returns>The parent; <see cref="Errno.EBUSY"/> if this driver is already registered; or the errno of
    /// <see cref="DriverModel.DeviceModel.AddVirtualDevice"/> or <see cref="MdevManager.RegisterParent"/> (nothing is left behind).</returns>
    public Result<MdevParent> Register(MdevHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (_registration.IsLoaded)
        {
            return Errno.EBUSY;
        }

        _eventFds = host.Vfio.EventFds;
        _profile = host.Profile;
        _files = host.Vfio.Files;
        _parentGroups = host.Profile == KernelProfile.Seed ? _seedParentGroups : [];
        return _registration.Register(host, this, null);
    }

    /// <summary>Unloads the sample: every device is removed (waiting for open ones to close), then the parent and its class device go.</summary>
    /// <returns><see cref="Errno.ENODEV"/> if not registered.</returns>
    public Errno Unregister() => _registration.Unregister();

    /// <summary>How many ports a device of <paramref name="type"/> takes.</summary>
    /// <param name="type">An mtty type.</param>
    /// <returns>1 or 2.</returns>
    public static int PortsOf(MdevType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Info.SysfsName == "2" ? 2 : 1;
    }

    /// <summary>Free ports divided by the ports a device of the type takes.</summary>
    /// <param name="type">The type.</param>
    /// <returns>The count.</returns>
    public int GetAvailableInstances(MdevType type) => FreePorts / PortsOf(type);

    /// <summary>Takes the device's ports from the pool (<see cref="Errno.ENOSPC"/> when too few are left) and sets up its state.</summary>
    /// <param name="mdev">The new device.</param>
    /// <returns><see cref="Errno.None"/> or <see cref="Errno.ENOSPC"/>.</returns>
    public Errno Create(MdevDevice mdev)
    {
        ArgumentNullException.ThrowIfNull(mdev);
        int ports = PortsOf(mdev.Type);
        int free = Volatile.Read(ref _freePorts);
        do
        {
            if (free < ports)
            {
                return Errno.ENOSPC;
            }
        }
        while (!TryTake(ref free, ports));

        Errno fault = AllocationFault?.Invoke(mdev) ?? Errno.None;
        if (fault != Errno.None)
        {
            _ = Interlocked.Add(ref _freePorts, ports); // Give the ports back on the failure path.
            return fault;
        }

        mdev.DriverData = new MttyDevice(ports, _eventFds, _profile);
        return Errno.None;
    }

    /// <summary>Drops the device state and gives its ports back.</summary>
    /// <param name="mdev">The device.</param>
    /// <returns><see cref="Errno.None"/>: the 6.x sample cannot refuse.</returns>
    public Errno Remove(MdevDevice mdev)
    {
        ArgumentNullException.ThrowIfNull(mdev);
        if (mdev.DriverData is MttyDevice state)
        {
            mdev.DriverData = null;
            _ = Interlocked.Add(ref _freePorts, state.Ports);
        }

        return Errno.None;
    }

    /// <summary>Nothing to do at first open.</summary>
    /// <param name="mdev">The device.</param>
    /// <returns><see cref="Errno.None"/>.</returns>
    public Errno Open(MdevDevice mdev) => Errno.None;

    /// <summary>Last close: the interrupt triggers are dropped (the UART state stays).</summary>
    /// <param name="mdev">The device.</param>
    public void Release(MdevDevice mdev) => StateOf(mdev)?.Close();

    /// <summary>Reads config space or UART registers; accesses are cut into naturally aligned 4/2/1-byte pieces.</summary>
    /// <param name="mdev">The device.</param>
    /// <param name="buffer">Where the bytes go.</param>
    /// <param name="offset"><c>region index &lt;&lt; 40</c> plus the offset in the region.</param>
    /// <returns>The byte count, or <see cref="Errno.EFAULT"/> outside config space and the card's BARs.</returns>
    public Result<int> Read(MdevDevice mdev, Span<byte> buffer, long offset) =>
        StateOf(mdev) is { } state ? state.Read(buffer, offset) : Errno.ENODEV;

    /// <summary>Writes config space or UART registers.</summary>
    /// <param name="mdev">The device.</param>
    /// <param name="data">The bytes.</param>
    /// <param name="offset"><c>region index &lt;&lt; 40</c> plus the offset in the region.</param>
    /// <returns>The byte count, or <see cref="Errno.EFAULT"/> outside config space and the card's BARs.</returns>
    public Result<int> Write(MdevDevice mdev, ReadOnlySpan<byte> data, long offset) =>
        StateOf(mdev) is { } state ? state.Write(data, offset) : Errno.ENODEV;

    /// <summary>The VFIO device ioctls: GET_INFO, GET_REGION_INFO, GET_IRQ_INFO, SET_IRQS and RESET.</summary>
    /// <param name="mdev">The device.</param>
    /// <param name="command">The ioctl number.</param>
    /// <param name="argument">The argument struct.</param>
    /// <returns>0, or the errno (see docs/vendor-driver-guide.md for the table).</returns>
    public Result<long> Ioctl(MdevDevice mdev, uint command, Span<byte> argument)
    {
        if (StateOf(mdev) is not { } state)
        {
            return Errno.ENODEV;
        }

        // 6.x: the VFIO core answers VFIO_DEVICE_FEATURE (migration v2, since 5.18; mtty's mig_ops since 6.7). v4.10 had
        // no such ioctl: it reaches the driver, which does not know it (ENOTTY).
        if (command == VfioMigrationIoctls.DeviceFeature && _profile == KernelProfile.Modern && _files is not null)
        {
            return VfioDeviceFeature.Dispatch(state, _files, argument);
        }

        // SET_IRQS is validated against the count cached at GET_INFO, so the sample decodes it itself.
        return command == VfioIoctls.DeviceSetIrqs ? state.SetIrqsRaw(argument) : VfioIoctlCodec.Dispatch(state, command, argument);
    }

    internal static MttyDevice? StateOf(MdevDevice mdev)
    {
        ArgumentNullException.ThrowIfNull(mdev);
        return mdev.DriverData as MttyDevice;
    }

    private bool TryTake(ref int free, int ports)
    {
        int seen = Interlocked.CompareExchange(ref _freePorts, free - ports, free);
        if (seen == free)
        {
            return true;
        }

        free = seen;
        return false;
    }
}
