using System.Buffers.Binary;
using MdevCore.DriverModel;
using MdevCore.Pci;
using MdevCore.Sysfs;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.DriverModel;

/// <summary>
/// The attributes of a simulated PCI function that lspci, libvirt and udev read (drivers/pci/pci-sysfs.c):
/// formats, modes, the binary config file at any offset and length, and the stores of enable and numa_node.
/// </summary>
public sealed class PciDeviceSysfsTests
{
    private const string Dir = "/sys/bus/pci/devices/0000:3b:00.0";
    private static readonly PciIds Ids = new(0x10de, 0x1eb8, 0x030200, 0x10de, 0x12a2, Revision: 0xa1);

    private static (MdevHost Host, PciDevice Device) Add(PciDeviceOptions? options = null)
    {
        MdevHost host = TestHosts.Create();
        PciDevice device = host.DeviceModel.AddPciDevice("0000:3b:00.0", Ids, options ?? new PciDeviceOptions()).GetValueOrThrow();
        return (host, device);
    }

    private static string Read(MdevHost host, string file) => host.Sysfs.ReadText(Dir + "/" + file).GetValueOrThrow();

    private static byte[] ReadConfig(MdevHost host, long offset, int length)
    {
        SysfsOpenFile file = host.Sysfs.Open(Dir + "/config", SysfsAccess.Read).GetValueOrThrow();
        var buffer = new byte[length];
        int n = file.Read(buffer, offset).GetValueOrThrow();
        return buffer[..n];
    }

    [Fact]
    public void Id_attributes_have_the_kernel_formats_and_mode_0444()
    {
        var (host, _) = Add();

        Read(host, "vendor").Should().Be("0x10de\n");
        Read(host, "device").Should().Be("0x1eb8\n");
        Read(host, "subsystem_vendor").Should().Be("0x10de\n");
        Read(host, "subsystem_device").Should().Be("0x12a2\n");
        Read(host, "class").Should().Be("0x030200\n");
        Read(host, "revision").Should().Be("0xa1\n");
        Read(host, "modalias").Should().Be("pci:v000010DEd00001EB8sv000010DEsd000012A2bc03sc02i00\n");
        foreach (string name in new[] { "vendor", "device", "subsystem_vendor", "subsystem_device", "class", "revision", "irq", "resource", "local_cpus", "local_cpulist", "modalias" })
        {
            host.Sysfs.Stat(Dir + "/" + name).Value.Mode.Should().Be(SysfsAttribute.Modes.ReadOnly, name);
        }
    }

    [Fact]
    public void Config_is_a_0644_binary_file_of_4096_bytes_for_PCI_Express_and_256_otherwise()
    {
        var (express, _) = Add();
        MdevHost conventional = TestHosts.Create();
        _ = conventional.DeviceModel.AddPciDevice("0000:3b:00.0", Ids, new PciDeviceOptions { Link = null }).GetValueOrThrow();

        express.Sysfs.Stat(Dir + "/config").Value.Should().Be(new SysfsStat(SysfsNodeKind.Attribute, SysfsAttribute.Modes.ReadWrite, 4096));
        conventional.Sysfs.Stat(Dir + "/config").Value.Size.Should().Be(256);
        express.Sysfs.Open(Dir + "/config", SysfsAccess.Read).Value.IsBinary.Should().BeTrue();
        express.Sysfs.ReadText(Dir + "/config").Error.Should().Be(Errno.EINVAL, "a binary attribute has no text");
    }

    [Fact]
    public void Config_agrees_with_the_id_attributes_and_has_a_type_0_header()
    {
        var (host, _) = Add();
        byte[] header = ReadConfig(host, 0, 64);

        BinaryPrimitives.ReadUInt16LittleEndian(header).Should().Be(0x10de);
        BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(2)).Should().Be(0x1eb8);
        header[PciRegisters.RevisionId].Should().Be(0xa1);
        (BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8)) >> 8).Should().Be(0x030200u);
        BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x2c)).Should().Be(0x10de);
        BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x2e)).Should().Be(0x12a2);
        (header[PciRegisters.HeaderType] & 0x7f).Should().Be(0);
    }

    [Fact]
    public void Config_lists_power_management_MSI_and_a_PCI_Express_endpoint_with_the_link()
    {
        var (host, _) = Add(new PciDeviceOptions { Link = new PciExpressLink(PciLinkSpeed.Speed16GT, 16), CurrentLink = new PciExpressLink(PciLinkSpeed.Speed8GT, 8) });
        byte[] config = ReadConfig(host, 0, 4096);

        (config[PciRegisters.Status] & PciRegisters.StatusCapabilityList).Should().NotBe(0);
        var ids = new List<byte>();
        int express = 0;
        for (int at = config[PciRegisters.CapabilityList]; at != 0; at = config[at + 1])
        {
            ids.Add(config[at]);
            express = config[at] == PciCapabilityIds.PciExpress ? at : express;
        }

        ids.Should().Equal(PciCapabilityIds.PowerManagement, PciCapabilityIds.Msi, PciCapabilityIds.PciExpress);
        ((config[express + 2] >> 4) & 0xf).Should().Be(0, "an endpoint");
        uint linkCap = BinaryPrimitives.ReadUInt32LittleEndian(config.AsSpan(express + PciExpressRegisters.LinkCapabilities));
        (linkCap & 0xf, (linkCap >> 4) & 0x3f).Should().Be((4u, 16u), "16 GT/s x16 capable");
        ushort linkStatus = BinaryPrimitives.ReadUInt16LittleEndian(config.AsSpan(express + PciExpressRegisters.LinkStatus));
        (linkStatus & 0xf, (linkStatus >> 4) & 0x3f).Should().Be((3, 8), "trained at 8 GT/s x8");
        Read(host, "max_link_speed").Should().Be("16.0 GT/s PCIe\n");
        Read(host, "max_link_width").Should().Be("16\n");
        Read(host, "current_link_speed").Should().Be("8.0 GT/s PCIe\n");
        Read(host, "current_link_width").Should().Be("8\n");
    }

    [Fact]
    public void Config_reads_at_any_offset_and_length_return_the_same_bytes_as_one_whole_read()
    {
        var (host, _) = Add();
        byte[] whole = ReadConfig(host, 0, 4096);

        foreach ((long offset, int length) in new[] { (1L, 1), (3L, 2), (5L, 7), (0x3fL, 3), (0x57L, 9), (0xfeL, 4), (4095L, 1) })
        {
            ReadConfig(host, offset, length).Should().Equal(whole.AsSpan((int)offset, length).ToArray(), $"offset {offset}, length {length}");
        }

        ReadConfig(host, 4090, 100).Should().HaveCount(6, "a read is clamped to the size");
        ReadConfig(host, 4096, 4).Should().BeEmpty("at the end a read returns 0");
    }

    [Fact]
    public void A_conventional_function_has_no_PCI_Express_capability_and_no_link_attributes()
    {
        MdevHost host = TestHosts.Create();
        _ = host.DeviceModel.AddPciDevice("0000:3b:00.0", Ids, new PciDeviceOptions { Link = null }).GetValueOrThrow();
        byte[] config = ReadConfig(host, 0, 256);

        var ids = new List<byte>();
        for (int at = config[PciRegisters.CapabilityList]; at != 0; at = config[at + 1])
        {
            ids.Add(config[at]);
        }

        ids.Should().NotContain(PciCapabilityIds.PciExpress);
        host.Sysfs.Exists(Dir + "/current_link_speed").Should().BeFalse();
        host.Sysfs.Exists(Dir + "/max_link_width").Should().BeFalse();
    }

    [Fact]
    public void Config_writes_change_only_writable_bits_and_past_the_end_return_EFBIG()
    {
        var (host, _) = Add(new PciDeviceOptions { Irq = 16 });
        SysfsOpenFile file = host.Sysfs.Open(Dir + "/config", SysfsAccess.ReadWrite).GetValueOrThrow();

        file.Write([11, 4], PciRegisters.InterruptLine).Value.Should().Be(2);
        file.Write([0x34, 0x12], PciRegisters.VendorId).Value.Should().Be(2, "the write is taken, the bits are read-only");

        ReadConfig(host, PciRegisters.InterruptLine, 2).Should().Equal(11, 1);
        ReadConfig(host, 0, 2).Should().Equal(0xde, 0x10);
        file.Write([1], 4096).Error.Should().Be(Errno.EFBIG);
        file.Write([1, 2, 3, 4], 4094).Value.Should().Be(2, "clamped to the size");
    }

    [Fact]
    public void Resource_has_13_lines_with_the_BAR_ranges_and_the_kernel_flags()
    {
        var (host, _) = Add(new PciDeviceOptions
        {
            Bars = [PciBar.Memory32(16 << 20, address: 0xfa00_0000), PciBar.Memory64(256 << 20, prefetchable: true, address: 0x38_0000_0000), PciBar.Io(128, address: 0xe000)],
        });

        string[] lines = Read(host, "resource").Split('\n');

        lines.Should().HaveCount(14, "13 lines and the final newline");
        lines[0].Should().Be("0x00000000fa000000 0x00000000faffffff 0x0000000000040200");
        lines[1].Should().Be("0x0000003800000000 0x000000380fffffff 0x000000000014220c");
        lines[2].Should().Be("0x0000000000000000 0x0000000000000000 0x0000000000000000", "the upper half of the 64-bit BAR");
        lines[3].Should().Be("0x000000000000e000 0x000000000000e07f 0x0000000000040101");
        lines[4..13].Should().AllBe("0x0000000000000000 0x0000000000000000 0x0000000000000000");
        byte[] bars = ReadConfig(host, PciRegisters.Bar0, 16);
        BinaryPrimitives.ReadUInt32LittleEndian(bars).Should().Be(0xfa00_0000u);
        BinaryPrimitives.ReadUInt32LittleEndian(bars.AsSpan(4)).Should().Be(0x0000_000cu);
        BinaryPrimitives.ReadUInt32LittleEndian(bars.AsSpan(8)).Should().Be(0x38u);
        BinaryPrimitives.ReadUInt32LittleEndian(bars.AsSpan(12)).Should().Be(0xe001u);
    }

    [Fact]
    public void Irq_numa_node_and_the_local_cpus_show_the_options()
    {
        var (host, _) = Add(new PciDeviceOptions { Irq = 42, NumaNode = 1, LocalCpus = [4, 5, 6, 7, 12, 40] });

        Read(host, "irq").Should().Be("42\n");
        Read(host, "numa_node").Should().Be("1\n");
        Read(host, "local_cpulist").Should().Be("4-7,12,40\n");
        Read(host, "local_cpus").Should().Be("100,000010f0\n", "bits 4-7, 12 and 40, 32-bit groups from the top");
        ReadConfig(host, PciRegisters.InterruptLine, 2).Should().Equal(42, 1);
    }

    [Fact]
    public void Defaults_are_no_NUMA_node_no_irq_and_CPU_0()
    {
        var (host, _) = Add();

        Read(host, "numa_node").Should().Be("-1\n");
        Read(host, "irq").Should().Be("0\n");
        Read(host, "local_cpus").Should().Be("1\n");
        Read(host, "local_cpulist").Should().Be("0\n");
        Read(host, "max_link_speed").Should().Be("8.0 GT/s PCIe\n");
        Read(host, "current_link_width").Should().Be("16\n");
    }

    [Theory]
    [InlineData("1\n", "1\n")]
    [InlineData("-1", "-1\n")]
    [InlineData("0x3", "3\n")]
    [InlineData("010", "8\n")]
    public void Numa_node_takes_an_integer_in_any_base(string written, string shown)
    {
        var (host, device) = Add();

        host.Sysfs.Write(Dir + "/numa_node", written).Succeeded.Should().BeTrue();

        Read(host, "numa_node").Should().Be(shown);
        device.NumaNode.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(shown.TrimEnd());
    }

    [Theory]
    [InlineData("-2")]
    [InlineData("1024")]
    [InlineData("one")]
    [InlineData(" 1")]
    [InlineData("-+1")]
    public void Numa_node_refuses_what_is_not_a_node_with_EINVAL(string written)
    {
        var (host, _) = Add(new PciDeviceOptions { NumaNode = 0 });

        host.Sysfs.Write(Dir + "/numa_node", written).Error.Should().Be(Errno.EINVAL);
        Read(host, "numa_node").Should().Be("0\n");
    }

    [Fact]
    public void Enable_counts_enables_and_disabling_a_disabled_device_returns_EIO()
    {
        var (host, _) = Add(new PciDeviceOptions { Bars = [PciBar.Memory32(4096, address: 0xfe00_0000)] });
        host.Sysfs.Stat(Dir + "/enable").Value.Mode.Should().Be(SysfsAttribute.Modes.ReadWrite);
        Read(host, "enable").Should().Be("0\n");
        (ReadConfig(host, PciRegisters.Command, 1)[0] & PciRegisters.CommandMemory).Should().Be(0);

        host.Sysfs.Write(Dir + "/enable", "1\n").Succeeded.Should().BeTrue();
        host.Sysfs.Write(Dir + "/enable", "1\n").Succeeded.Should().BeTrue();

        Read(host, "enable").Should().Be("2\n");
        (ReadConfig(host, PciRegisters.Command, 1)[0] & (PciRegisters.CommandMemory | PciRegisters.CommandMaster)).Should().Be(PciRegisters.CommandMemory | PciRegisters.CommandMaster);
        host.Sysfs.Write(Dir + "/enable", "0").Succeeded.Should().BeTrue();
        host.Sysfs.Write(Dir + "/enable", "0").Succeeded.Should().BeTrue();
        host.Sysfs.Write(Dir + "/enable", "0").Error.Should().Be(Errno.EIO);
        host.Sysfs.Write(Dir + "/enable", "yes").Error.Should().Be(Errno.EINVAL);
        Read(host, "enable").Should().Be("0\n");
    }

    [Fact]
    public void Enable_is_1_and_refuses_writes_with_EBUSY_while_a_driver_is_bound()
    {
        MdevHost host = TestHosts.Create();
        _ = TestHosts.AddGpu(host, "0000:3b:00.0");

        Read(host, "enable").Should().Be("1\n");
        host.Sysfs.Write(Dir + "/enable", "0").Error.Should().Be(Errno.EBUSY);
        (ReadConfig(host, PciRegisters.Command, 1)[0] & PciRegisters.CommandMaster).Should().NotBe(0, "the bound driver enabled bus mastering");
    }

    [Fact]
    public void Options_that_describe_no_function_are_programmer_errors()
    {
        MdevHost host = TestHosts.Create();

        foreach (PciDeviceOptions bad in new PciDeviceOptions[]
        {
            new() { NumaNode = -2 },
            new() { NumaNode = 1024 },
            new() { Link = new PciExpressLink(PciLinkSpeed.Speed8GT, 3) },
            new() { Link = new PciExpressLink(PciLinkSpeed.Speed8GT, 4), CurrentLink = new PciExpressLink(PciLinkSpeed.Speed16GT, 4) },
            new() { LocalCpus = [] },
            new() { Bars = [PciBar.Memory32(1000)] },
            new() { Bars = [PciBar.Memory64(4096), PciBar.Memory64(4096), PciBar.Memory64(4096), PciBar.Io(8)] },
        })
        {
            FluentActions.Invoking(() => host.DeviceModel.AddPciDevice("0000:3b:00.0", Ids, bad)).Should().Throw<ArgumentException>();
        }

        host.Sysfs.Exists(Dir).Should().BeFalse();
    }
}
