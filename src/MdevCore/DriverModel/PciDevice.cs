using System.Globalization;
using MdevCore.Internal;
using MdevCore.Pci;
using MdevCore.Sysfs;

namespace MdevCore.DriverModel;

/// <summary>A simulated PCI function, for example <c>0000:00:02.0</c>.</summary>
/// <remarks>
/// Its directory has the attributes of <c>drivers/pci/pci-sysfs.c</c> that tools read (lspci, libvirt, udev):
/// <c>config</c> (a binary attribute with a config space consistent with the ids, see <see cref="PciDeviceConfig"/>),
/// the ids, <c>irq</c>, <c>local_cpus</c>/<c>local_cpulist</c>, <c>modalias</c>, <c>numa_node</c>, <c>enable</c>,
/// <c>resource</c> and, for a PCI Express function, the four link attributes. Every caller counts as privileged
/// (<c>CAP_SYS_ADMIN</c>): it reads the whole config space and may write <c>enable</c> and <c>numa_node</c>.
/// Thread safety: thread-safe.
/// </remarks>
public sealed class PciDevice : Device
{
    private readonly PciDeviceConfig _config;
    private volatile int _numaNode;
    private int _userEnables;

    internal PciDevice(string address, PciIds ids, PciDeviceOptions options, SysfsDirectory parentDirectory, Bus bus)
        : base(address, null, parentDirectory, bus, null)
    {
        Ids = ids;
        Options = options;
        _numaNode = options.NumaNode;
        _config = new PciDeviceConfig(ids, options);
    }

    /// <summary>The identity reported in config space and sysfs.</summary>
    public PciIds Ids { get; }

    /// <summary>NUMA node, link, BARs, interrupt and local CPUs, as given when the device was added.</summary>
    public PciDeviceOptions Options { get; }

    /// <summary>The NUMA node (<c>numa_node</c>); -1 for none. Root may override it through sysfs, as on Linux.</summary>
    public int NumaNode => _numaNode;

    /// <summary>Whether the function is PCI Express (it has the capability and 4096 bytes of config space).</summary>
    public bool IsPciExpress => Options.Link is not null;

    /// <summary>
    /// The enable count (<c>enable</c>): 1 while a driver is bound (drivers enable their device), plus what root
    /// wrote to <c>enable</c> while none was.
    /// </summary>
    public int EnableCount => (Driver is null ? 0 : 1) + Volatile.Read(ref _userEnables);

    internal static readonly AttributeGroup Attributes = new(null,
    [
        DeviceModel.UEventAttribute,
        SysfsAttribute.Binary("config", SysfsAttribute.Modes.ReadWrite, o => ((PciDevice)o!)._config.Size,
            (o, buffer, offset) => ((PciDevice)o!).ReadConfig(buffer, offset),
            (o, data, offset) => ((PciDevice)o!).WriteConfig(data, offset)),
        SysfsAttribute.ReadOnly<PciDevice>("resource", d => PciSysfsFormat.Resources(d.Options.Bars)),
        SysfsAttribute.ReadOnly<PciDevice>("vendor", d => Hex4(d.Ids.Vendor)),
        SysfsAttribute.ReadOnly<PciDevice>("device", d => Hex4(d.Ids.Device)),
        SysfsAttribute.ReadOnly<PciDevice>("subsystem_vendor", d => Hex4(d.Ids.SubsystemVendor)),
        SysfsAttribute.ReadOnly<PciDevice>("subsystem_device", d => Hex4(d.Ids.SubsystemDevice)),
        SysfsAttribute.ReadOnly<PciDevice>("revision", d => "0x" + d.Ids.Revision.ToString("x2", CultureInfo.InvariantCulture) + "\n"),
        SysfsAttribute.ReadOnly<PciDevice>("class", d => "0x" + d.Ids.ClassCode.ToString("x6", CultureInfo.InvariantCulture) + "\n"),
        SysfsAttribute.ReadOnly<PciDevice>("irq", d => d.Options.Irq.ToString(CultureInfo.InvariantCulture) + "\n"),
        SysfsAttribute.ReadOnly<PciDevice>("local_cpus", d => PciSysfsFormat.CpuMask(d.Options.LocalCpus) + "\n"),
        SysfsAttribute.ReadOnly<PciDevice>("local_cpulist", d => PciSysfsFormat.CpuList(d.Options.LocalCpus) + "\n"),
        SysfsAttribute.ReadOnly<PciDevice>("modalias", d => PciSysfsFormat.Modalias(d.Ids) + "\n"),
        new SysfsAttribute("numa_node", SysfsAttribute.Modes.ReadWrite,
            o => ((PciDevice)o!).NumaNode.ToString(CultureInfo.InvariantCulture) + "\n", (o, data) => ((PciDevice)o!).StoreNumaNode(data)),
        new SysfsAttribute("enable", SysfsAttribute.Modes.ReadWrite,
            o => ((PciDevice)o!).EnableCount.ToString(CultureInfo.InvariantCulture) + "\n", (o, data) => ((PciDevice)o!).StoreEnable(data)),
        SysfsAttribute.ReadOnly<PciDevice>("current_link_speed", d => PciExpressLink.FormatSpeed(d.CurrentLink.Speed) + "\n"),
        SysfsAttribute.ReadOnly<PciDevice>("current_link_width", d => d.CurrentLink.Width.ToString(CultureInfo.InvariantCulture) + "\n"),
        SysfsAttribute.ReadOnly<PciDevice>("max_link_speed", d => PciExpressLink.FormatSpeed(d.Options.Link!.Value.Speed) + "\n"),
        SysfsAttribute.ReadOnly<PciDevice>("max_link_width", d => d.Options.Link!.Value.Width.ToString(CultureInfo.InvariantCulture) + "\n"),
    ], static (owner, attribute) => ((PciDevice)owner!).IsPciExpress || !attribute.Name.Contains("_link_", StringComparison.Ordinal));

    private PciExpressLink CurrentLink => Options.CurrentLink ?? Options.Link!.Value;

    internal override void AddDeviceVariables(List<KeyValuePair<string, string>> env, string? driverName)
    {
        base.AddDeviceVariables(env, driverName);
        PciIds ids = Ids;
        env.Add(new("PCI_CLASS", ids.ClassCode.ToString("X", CultureInfo.InvariantCulture)));
        env.Add(new("PCI_ID", string.Create(CultureInfo.InvariantCulture, $"{ids.Vendor:X4}:{ids.Device:X4}")));
        env.Add(new("PCI_SUBSYS_ID", string.Create(CultureInfo.InvariantCulture, $"{ids.SubsystemVendor:X4}:{ids.SubsystemDevice:X4}")));
        env.Add(new("PCI_SLOT_NAME", Name));
        env.Add(new("MODALIAS", PciSysfsFormat.Modalias(ids)));
    }

    private static Result<string> Hex4(ushort value) => "0x" + value.ToString("x4", CultureInfo.InvariantCulture) + "\n";

    /// <summary><c>pci_read_config</c> for a privileged reader: any offset and length inside the space.</summary>
    private Result<int> ReadConfig(Span<byte> buffer, long offset) => _config.Read(buffer, (int)offset, EnableCount > 0);

    /// <summary><c>pci_write_config</c>: the bits the function lets software change.</summary>
    private Result<int> WriteConfig(ReadOnlySpan<byte> data, long offset) => _config.Write(data, (int)offset);

    /// <summary><c>numa_node_store</c>: an integer (any base); -1 or a node below <see cref="PciDeviceOptions.MaxNumaNodes"/>.</summary>
    private Errno StoreNumaNode(ReadOnlySpan<byte> data)
    {
        if (!PciSysfsFormat.TryParseInt(data, out long node) || node is < -1 or >= PciDeviceOptions.MaxNumaNodes)
        {
            return Errno.EINVAL;
        }

        _numaNode = (int)node;
        return Errno.None;
    }

    /// <summary><c>enable_store</c>: <see cref="Errno.EBUSY"/> while a driver is bound; 0 on a disabled device is <see cref="Errno.EIO"/>.</summary>
    private Errno StoreEnable(ReadOnlySpan<byte> data)
    {
        if (!KernelParse.TryParseUnsigned(data, out ulong value))
        {
            return Errno.EINVAL;
        }

        lock (DeviceLock)
        {
            if (Driver is not null)
            {
                return Errno.EBUSY;
            }

            if (value != 0)
            {
                _userEnables++;
                return Errno.None;
            }

            if (_userEnables == 0)
            {
                return Errno.EIO;
            }

            _userEnables--;
            return Errno.None;
        }
    }
}
