using System.Buffers.Binary;
using MdevCore.Mediated;
using MdevCore.Sysfs;
using MdevCore.Vfio;

namespace MdevCore.Samples.Mbochs;

/// <summary>
/// The mbochs sample: a display that looks like QEMU's stdvga to the guest's bochs-drm driver (VRAM in BAR0,
/// the DISPI registers and an EDID window in BAR2, an EDID region for the VMM), in three sizes of video memory
/// (<c>mbochs-small</c> 4 MiB, <c>mbochs-medium</c> 16 MiB, <c>mbochs-large</c> 64 MiB) drawn from one pool.
/// </summary>
/// <remarks>
/// Kernel: <c>samples/vfio-mdev/mbochs.c</c>. The driver counts its pool itself: a create takes the type's
/// megabytes or fails with <see cref="Errno.ENOSPC"/>, a failed create and a remove give them back. The primary
/// plane is reported through VFIO_DEVICE_QUERY_GFX_PLANE as a dma-buf id. Thread safety: thread-safe.
/// </remarks>
public sealed class MbochsDriver :
    IMdevParentOps, IMdevAvailableInstances, IMdevTypeDescription, IMdevDeviceAttributeGroups,
    IMdevDeviceOpen, IMdevDeviceReadWrite, IMdevDeviceIoctl, IMdevDeviceMmap
{
    /// <summary>The class, device and driver name.</summary>
    public const string Name = "mbochs";

    /// <summary>The PCI vendor id (QEMU's stdvga).</summary>
    public const ushort VendorId = 0x1234;

    /// <summary>The PCI device id.</summary>
    public const ushort DeviceId = 0x1111;

    private readonly MbochsOptions _options;
    private readonly MbochsType[] _types =
    [
        new("small", 4, 800, 600),
        new("medium", 16, 1920, 1440),
        new("large", 64, 0, 0),
    ];

    private int _freeMegabytes;
    private readonly SampleRegistration _registration = new(Name);

    /// <summary>Creates the driver with its video memory pool.</summary>
    /// <param name="options">The pool size; <see langword="null"/> for the kernel's 256 MiB.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative pool.</exception>
    public MbochsDriver(MbochsOptions? options = null)
    {
        _options = options ?? new MbochsOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(_options.TotalMegabytes);
        _freeMegabytes = _options.TotalMegabytes;
        SupportedTypes = [.. _types.Select(t => new MdevTypeInfo(t.SysfsName, MdevTypeInfo.VfioPci, Name + "-" + t.SysfsName))];
        DeviceAttributeGroups =
        [
            new AttributeGroup("vendor", [SysfsAttribute.ReadOnly<MdevDevice>("memory", static m => m.DriverData is MbochsDevice d ? $"{d.Type.Megabytes} MB\n" : Errno.ENODEV)]),
        ];
    }

    /// <summary>The parent after <see cref="Register"/>, else <see langword="null"/>.</summary>
    public MdevParent? Parent => _registration.Parent;

    /// <summary>Megabytes of the pool not taken by any device.</summary>
    public int FreeMegabytes => Volatile.Read(ref _freeMegabytes);

    /// <inheritdoc/>
    public IReadOnlyList<MdevTypeInfo> SupportedTypes { get; }

    /// <summary>The <c>vendor/memory</c> attribute of each device: <c>&lt;N&gt; MB</c>.</summary>
    public IReadOnlyList<AttributeGroup> DeviceAttributeGroups { get; }

    /// <summary>Simulates an allocation failure after the megabytes were taken (tests of the unwinding path); not public API.</summary>
    internal Func<MdevDevice, Errno>? AllocationFault { get; set; }

    /// <summary>Loads the sample into a host: adds <c>/sys/devices/virtual/mbochs/mbochs</c> and registers it as a parent.</summary>
    /// <param name="host">The host.</param>
    /// <returns>The parent; <see cref="Errno.EBUSY"/> if this driver is already registered; or the registration errno.</returns>
    public Result<MdevParent> Register(MdevHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (_registration.IsLoaded)
        {
            return Errno.EBUSY;
        }

        return _registration.Register(host, this, null);
    }

    /// <summary>Unloads the sample.</summary>
    /// <returns><see cref="Errno.ENODEV"/> if not registered.</returns>
    public Errno Unregister() => _registration.Unregister();

    /// <summary>The video memory of a device of <paramref name="type"/>, in MiB.</summary>
    /// <param name="type">An mbochs type.</param>
    /// <returns>4, 16 or 64.</returns>
    public int MegabytesOf(MdevType type) => TypeOf(type).Megabytes;

    /// <summary>Free megabytes divided by the type's megabytes.</summary>
    /// <param name="type">The type.</param>
    /// <returns>The count.</returns>
    public int GetAvailableInstances(MdevType type) => FreeMegabytes / MegabytesOf(type);

    /// <summary><c>virtual display, &lt;N&gt; MB video memory</c>.</summary>
    /// <param name="type">The type.</param>
    /// <returns>The text.</returns>
    public string GetDescription(MdevType type) => $"virtual display, {MegabytesOf(type)} MB video memory\n";

    /// <summary>Takes the type's megabytes from the pool (<see cref="Errno.ENOSPC"/> when too few are left) and sets up the device.</summary>
    /// <param name="mdev">The new device.</param>
    /// <returns><see cref="Errno.None"/> or <see cref="Errno.ENOSPC"/>; on any failure the megabytes are back in the pool.</returns>
    public Errno Create(MdevDevice mdev)
    {
        ArgumentNullException.ThrowIfNull(mdev);
        MbochsType type = TypeOf(mdev.Type);
        int free = Volatile.Read(ref _freeMegabytes);
        while (true)
        {
            if (free < type.Megabytes)
            {
                return Errno.ENOSPC;
            }

            int seen = Interlocked.CompareExchange(ref _freeMegabytes, free - type.Megabytes, free);
            if (seen == free)
            {
                break;
            }

            free = seen;
        }

        Errno fault = AllocationFault?.Invoke(mdev) ?? Errno.None;
        if (fault != Errno.None)
        {
            _ = Interlocked.Add(ref _freeMegabytes, type.Megabytes);
            return fault;
        }

        mdev.DriverData = new MbochsDevice(type);
        return Errno.None;
    }

    /// <summary>Drops the device and gives its megabytes back.</summary>
    /// <param name="mdev">The device.</param>
    /// <returns><see cref="Errno.None"/>.</returns>
    public Errno Remove(MdevDevice mdev)
    {
        ArgumentNullException.ThrowIfNull(mdev);
        if (mdev.DriverData is MbochsDevice state)
        {
            mdev.DriverData = null;
            _ = Interlocked.Add(ref _freeMegabytes, state.Type.Megabytes);
        }

        return Errno.None;
    }

    /// <summary>Nothing to do at first open.</summary>
    /// <param name="mdev">The device.</param>
    /// <returns><see cref="Errno.None"/>.</returns>
    public Errno Open(MdevDevice mdev) => Errno.None;

    /// <summary>Last close: dma-buf ids are forgotten and VRAM is freed.</summary>
    /// <param name="mdev">The device.</param>
    public void Release(MdevDevice mdev) => StateOf(mdev)?.Close();

    /// <summary>Reads config space, the MMIO BAR, the EDID region or VRAM.</summary>
    /// <param name="mdev">The device.</param>
    /// <param name="buffer">Where the bytes go.</param>
    /// <param name="offset">The device-file offset (from GET_REGION_INFO).</param>
    /// <returns>The byte count, or <see cref="Errno.EFAULT"/> outside every region.</returns>
    public Result<int> Read(MdevDevice mdev, Span<byte> buffer, long offset) =>
        StateOf(mdev) is { } state ? state.Read(buffer, offset) : Errno.ENODEV;

    /// <summary>Writes config space, the MMIO BAR, the EDID region or VRAM.</summary>
    /// <param name="mdev">The device.</param>
    /// <param name="data">The bytes.</param>
    /// <param name="offset">The device-file offset.</param>
    /// <returns>The byte count, or <see cref="Errno.EFAULT"/> outside every region.</returns>
    public Result<int> Write(MdevDevice mdev, ReadOnlySpan<byte> data, long offset) =>
        StateOf(mdev) is { } state ? state.Write(data, offset) : Errno.ENODEV;

    /// <summary>Maps VRAM.</summary>
    /// <param name="mdev">The device.</param>
    /// <param name="offset">Must be the VRAM region offset (three pages).</param>
    /// <param name="length">At most the VRAM size.</param>
    /// <returns>The VRAM memory, or <see cref="Errno.EINVAL"/>.</returns>
    public Result<Memory<byte>> Mmap(MdevDevice mdev, long offset, long length) =>
        StateOf(mdev) is { } state ? state.Mmap(offset, length) : Errno.ENODEV;

    /// <summary>GET_INFO, GET_REGION_INFO (argsz above 48 is <see cref="Errno.EINVAL"/>), GET_IRQ_INFO, QUERY_GFX_PLANE and RESET;
    /// SET_IRQS is always <see cref="Errno.EINVAL"/>.</summary>
    /// <param name="mdev">The device.</param>
    /// <param name="command">The ioctl number.</param>
    /// <param name="argument">The argument struct.</param>
    /// <returns>0, or the errno.</returns>
    public Result<long> Ioctl(MdevDevice mdev, uint command, Span<byte> argument)
    {
        if (StateOf(mdev) is not { } state)
        {
            return Errno.ENODEV;
        }

        switch (command)
        {
            case VfioIoctls.DeviceSetIrqs:
                return Errno.EINVAL;
            case VfioIoctls.DeviceGetRegionInfo when argument.Length >= 4
                && BinaryPrimitives.ReadUInt32LittleEndian(argument) > MbochsDevice.MaxRegionInfoArgSize:
                return Errno.EINVAL; // The sample copies into a fixed struct and refuses anything larger.
            default:
                return VfioIoctlCodec.Dispatch(state, command, argument);
        }
    }

    internal static MbochsDevice? StateOf(MdevDevice mdev)
    {
        ArgumentNullException.ThrowIfNull(mdev);
        return mdev.DriverData as MbochsDevice;
    }

    private MbochsType TypeOf(MdevType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Array.Find(_types, t => t.SysfsName == type.Info.SysfsName) ?? _types[0];
    }
}
