using MdevCore.Mediated;
using MdevCore.Sysfs;
using MdevCore.Vfio;

namespace MdevCore.Samples.Mdpy;

/// <summary>
/// The mdpy sample: a simple virtual PCI display with a linear XRGB8888 framebuffer in BAR0, in three fixed
/// resolutions (<c>mdpy-vga</c> 640×480, <c>mdpy-xga</c> 1024×768, <c>mdpy-hd</c> 1920×1080).
/// </summary>
/// <remarks>
/// Kernel: <c>samples/vfio-mdev/mdpy.c</c> and <c>mdpy-defs.h</c>. Unlike mtty and mbochs the driver does not
/// count instances: it hands the budget to the core (<see cref="MdpyOptions.MaxDevices"/>, shared by all three
/// types), which refuses one more with <see cref="Errno.EUSERS"/>. The framebuffer can be mapped; the display
/// plane is reported through VFIO_DEVICE_QUERY_GFX_PLANE as region 16. Thread safety: thread-safe.
/// </remarks>
public sealed class MdpyDriver :
    IMdevParentOps, IMdevTypeDescription, IMdevDeviceAttributeGroups, IMdevDeviceReadWrite, IMdevDeviceIoctl, IMdevDeviceMmap
{
    /// <summary>The class, device and driver name.</summary>
    public const string Name = "mdpy";

    /// <summary>The PCI vendor id (Red Hat).</summary>
    public const ushort VendorId = 0x1b36;

    /// <summary>The PCI device id.</summary>
    public const ushort DeviceId = 0x000f;

    private readonly MdpyOptions _options;
    private readonly MdpyMode[] _modes =
    [
        new("vga", 640, 480),
        new("xga", 1024, 768),
        new("hd", 1920, 1080),
    ];

    private readonly SampleRegistration _registration = new(Name);

    /// <summary>Creates the driver.</summary>
    /// <param name="options">The device budget; <see langword="null"/> for the kernel's 4.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative budget.</exception>
    public MdpyDriver(MdpyOptions? options = null)
    {
        _options = options ?? new MdpyOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(_options.MaxDevices);
        SupportedTypes = [.. _modes.Select(m => new MdevTypeInfo(m.SysfsName, MdevTypeInfo.VfioPci, Name + "-" + m.SysfsName))];
        DeviceAttributeGroups =
        [
            new AttributeGroup("vendor", [SysfsAttribute.ReadOnly<MdevDevice>("resolution", static m => m.DriverData is MdpyDevice d ? $"{d.Mode.Width}x{d.Mode.Height}\n" : Errno.ENODEV)]),
        ];
    }

    /// <summary>The parent after <see cref="Register"/>, else <see langword="null"/>.</summary>
    public MdevParent? Parent => _registration.Parent;

    /// <inheritdoc/>
    public IReadOnlyList<MdevTypeInfo> SupportedTypes { get; }

    /// <summary>The <c>vendor/resolution</c> attribute of each device: <c>&lt;W&gt;x&lt;H&gt;</c>.</summary>
    public IReadOnlyList<AttributeGroup> DeviceAttributeGroups { get; }

    /// <summary>Simulates an allocation failure of the framebuffer (tests of the unwinding path); not public API.</summary>
    internal Func<MdevDevice, Errno>? AllocationFault { get; set; }

    /// <summary>Loads the sample into a host: adds <c>/sys/devices/virtual/mdpy/mdpy</c> and registers it as a parent with the core-counted budget.</summary>
    /// <param name="host">The host.</param>
    /// <returns>The parent; <see cref="Errno.EBUSY"/> if this driver is already registered; or the registration errno.</returns>
    public Result<MdevParent> Register(MdevHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (_registration.IsLoaded)
        {
            return Errno.EBUSY;
        }

        return _registration.Register(host, this, new MdevParentOptions { MaxInstances = _options.MaxDevices });
    }

    /// <summary>Unloads the sample.</summary>
    /// <returns><see cref="Errno.ENODEV"/> if not registered.</returns>
    public Errno Unregister() => _registration.Unregister();

    /// <summary><c>virtual display, &lt;W&gt;x&lt;H&gt; framebuffer</c>.</summary>
    /// <param name="type">The type.</param>
    /// <returns>The text.</returns>
    public string GetDescription(MdevType type)
    {
        MdpyMode mode = ModeOf(type);
        return $"virtual display, {mode.Width}x{mode.Height} framebuffer\n";
    }

    /// <summary>Allocates the framebuffer (painted with a grey gradient) and the config space.</summary>
    /// <param name="mdev">The new device.</param>
    /// <returns><see cref="Errno.None"/>, or <see cref="Errno.ENOMEM"/> when the allocation fails.</returns>
    public Errno Create(MdevDevice mdev)
    {
        ArgumentNullException.ThrowIfNull(mdev);
        Errno fault = AllocationFault?.Invoke(mdev) ?? Errno.None;
        if (fault != Errno.None)
        {
            return fault;
        }

        mdev.DriverData = new MdpyDevice(ModeOf(mdev.Type));
        return Errno.None;
    }

    /// <summary>Drops the device state.</summary>
    /// <param name="mdev">The device.</param>
    /// <returns><see cref="Errno.None"/>.</returns>
    public Errno Remove(MdevDevice mdev)
    {
        ArgumentNullException.ThrowIfNull(mdev);
        mdev.DriverData = null;
        return Errno.None;
    }

    /// <summary>Reads config space (offset 0) or the framebuffer (offset 4096).</summary>
    /// <param name="mdev">The device.</param>
    /// <param name="buffer">Where the bytes go.</param>
    /// <param name="offset">The device-file offset.</param>
    /// <returns>The byte count, or <see cref="Errno.EFAULT"/> outside both.</returns>
    public Result<int> Read(MdevDevice mdev, Span<byte> buffer, long offset) =>
        StateOf(mdev) is { } state ? state.Read(buffer, offset) : Errno.ENODEV;

    /// <summary>Writes config space (only BAR0 sticks) or the framebuffer.</summary>
    /// <param name="mdev">The device.</param>
    /// <param name="data">The bytes.</param>
    /// <param name="offset">The device-file offset.</param>
    /// <returns>The byte count, or <see cref="Errno.EFAULT"/> outside both.</returns>
    public Result<int> Write(MdevDevice mdev, ReadOnlySpan<byte> data, long offset) =>
        StateOf(mdev) is { } state ? state.Write(data, offset) : Errno.ENODEV;

    /// <summary>Maps the framebuffer.</summary>
    /// <param name="mdev">The device.</param>
    /// <param name="offset">Must be 4096, the framebuffer's region offset.</param>
    /// <param name="length">At most the framebuffer size.</param>
    /// <returns>The framebuffer memory, or <see cref="Errno.EINVAL"/>.</returns>
    public Result<Memory<byte>> Mmap(MdevDevice mdev, long offset, long length) =>
        StateOf(mdev) is { } state ? state.Mmap(offset, length) : Errno.ENODEV;

    /// <summary>GET_INFO, GET_REGION_INFO, GET_IRQ_INFO, QUERY_GFX_PLANE, RESET; SET_IRQS is always <see cref="Errno.EINVAL"/>.</summary>
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

        return command == VfioIoctls.DeviceSetIrqs ? Errno.EINVAL : VfioIoctlCodec.Dispatch(state, command, argument);
    }

    internal static MdpyDevice? StateOf(MdevDevice mdev)
    {
        ArgumentNullException.ThrowIfNull(mdev);
        return mdev.DriverData as MdpyDevice;
    }

    private MdpyMode ModeOf(MdevType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Array.Find(_modes, m => m.SysfsName == type.Info.SysfsName) ?? _modes[0];
    }
}
