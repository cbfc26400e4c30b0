using MdevCore.Sysfs;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.Sysfs;

/// <summary>Path resolution, modes, offsets and sizes, as Linux and kernfs behave (kernel-mdev.md corrections box).</summary>
public sealed class SysfsViewTests
{
    private static MdevHost HostWithPci() => WithPci(TestHosts.Create());

    private static MdevHost WithPci(MdevHost host)
    {
        _ = TestHosts.AddGpu(host);
        return host;
    }

    [Theory]
    [InlineData("sys/bus", Errno.EINVAL)]
    [InlineData("", Errno.ENOENT)]
    [InlineData("/proc/cpuinfo", Errno.ENOENT)]
    [InlineData("/system", Errno.ENOENT)]
    [InlineData("/sys/nope", Errno.ENOENT)]
    [InlineData("/sys/..", Errno.ENOENT)]
    [InlineData("/sys/bus/pci/drivers_autoprobe/x", Errno.ENOTDIR)]
    [InlineData("/sys/bus/pci/drivers_autoprobe/", Errno.ENOTDIR)]
    public void Stat_of_a_bad_path_returns_the_linux_errno(string path, Errno expected)
    {
        HostWithPci().Sysfs.Stat(path).Error.Should().Be(expected);
    }

    [Fact]
    public void A_name_longer_than_255_returns_ENAMETOOLONG()
    {
        HostWithPci().Sysfs.Stat("/sys/" + new string('a', 256)).Error.Should().Be(Errno.ENAMETOOLONG);
    }

    [Theory]
    [InlineData("/sys//bus///pci/drivers_autoprobe")]
    [InlineData("/sys/./bus/./pci/drivers_autoprobe")]
    [InlineData("/sys/bus/mdev/../pci/drivers_autoprobe")]
    [InlineData("/sys/bus/pci/devices/0000:00:02.0/../../../bus/pci/drivers_autoprobe")]
    public void Empty_components_and_dots_resolve_as_linux_does(string path)
    {
        HostWithPci().Sysfs.ReadText(path).Value.Should().Be("1\n");
    }

    [Fact]
    public void Dot_dot_after_a_symlink_goes_to_the_parent_of_its_target()
    {
        MdevHost host = HostWithPci();
        host.Sysfs.RealPath("/sys/bus/pci/devices/0000:00:02.0/..").Value.Should().Be("/sys/devices/pci0000:00");
    }

    [Fact]
    public void Read_at_an_offset_returns_the_rest_and_eof_at_the_end()
    {
        MdevHost host = TestHosts.Create();
        MdevCore.Mediated.MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor(), maxInstances: 65536);
        SysfsOpenFile file = host.Sysfs.Open(parent.Types[0].Path("available_instances"), SysfsAccess.Read).Value;
        Span<byte> buffer = stackalloc byte[16];
        int n = file.Read(buffer, 2).Value;
        System.Text.Encoding.ASCII.GetString(buffer[..n]).Should().Be("536\n");
        file.Read(buffer, 6).Value.Should().Be(0);
        file.Read(buffer, 100).Value.Should().Be(0);
        file.Read(buffer, -1).Error.Should().Be(Errno.EINVAL);
        file.Write("1"u8).Error.Should().Be(Errno.EBADF);
    }

    [Fact]
    public void Stat_reports_4096_for_attributes_0_for_directories_and_the_target_length_for_links()
    {
        MdevHost host = HostWithPci();
        host.Sysfs.Stat("/sys/bus/pci/drivers_autoprobe").Value.Should().Be(new SysfsStat(SysfsNodeKind.Attribute, SysfsAttribute.Modes.ReadWrite, 4096));
        host.Sysfs.Stat("/sys/bus").Value.Should().Be(new SysfsStat(SysfsNodeKind.Directory, SysfsAttribute.Modes.Directory, 0));
        string target = "../../../devices/pci0000:00/0000:00:02.0";
        host.Sysfs.LStat("/sys/bus/pci/devices/0000:00:02.0").Value.Should().Be(new SysfsStat(SysfsNodeKind.Symlink, SysfsAttribute.Modes.Symlink, target.Length));
        host.Sysfs.Stat("/sys/bus/pci/devices/0000:00:02.0").Value.Kind.Should().Be(SysfsNodeKind.Directory);
    }

    [Fact]
    public void Readlink_of_something_that_is_not_a_link_returns_EINVAL_and_opening_a_directory_returns_EISDIR()
    {
        MdevHost host = HostWithPci();
        host.Sysfs.ReadLink("/sys/bus").Error.Should().Be(Errno.EINVAL);
        host.Sysfs.Open("/sys/bus", SysfsAccess.Read).Error.Should().Be(Errno.EISDIR);
        host.Sysfs.List("/sys/bus/pci/drivers_autoprobe").Error.Should().Be(Errno.ENOTDIR);
    }

    [Fact]
    public void List_is_in_ordinal_order()
    {
        HostWithPci().Sysfs.List("/sys").Value.Should().Equal("bus", "class", "devices", "kernel");
    }

    [Fact]
    public void Pci_device_attributes_match_its_ids()
    {
        MdevHost host = HostWithPci();
        string dev = "/sys/bus/pci/devices/0000:00:02.0";
        host.Sysfs.ReadText(dev + "/vendor").Value.Should().Be("0x8086\n");
        host.Sysfs.ReadText(dev + "/device").Value.Should().Be("0x3e92\n");
        host.Sysfs.ReadText(dev + "/class").Value.Should().Be("0x030000\n");
        host.Sysfs.ReadText(dev + "/uevent").Value.Should().Be(
            "DRIVER=i915\nPCI_CLASS=30000\nPCI_ID=8086:3E92\nPCI_SUBSYS_ID=0000:0000\nPCI_SLOT_NAME=0000:00:02.0\nMODALIAS=pci:v00008086d00003E92sv00000000sd00000000bc03sc00i00\n");
    }

    [Fact]
    public void Empty_write_returns_0_without_reaching_the_store_and_long_writes_are_cut_to_a_page()
    {
        MdevHost host = TestHosts.Create();
        int calls = 0, lastLength = 0;
        var attr = SysfsAttribute.WriteOnly("sink", (_, data) => { calls++; lastLength = data.Length; return Errno.None; });
        host.Tree.AddGroup(host.Tree.Kernel, new AttributeGroup(null, [attr]), null).Should().Be(Errno.None);

        host.Sysfs.Write("/sys/kernel/sink", []).Value.Should().Be(0);
        calls.Should().Be(0);
        host.Sysfs.Write("/sys/kernel/sink", new byte[5000]).Value.Should().Be(4096);
        lastLength.Should().Be(4096);
    }

    [Fact]
    public void Writing_a_uevent_file_synthesizes_that_action_and_rejects_unknown_ones()
    {
        MdevHost host = HostWithPci();
        _ = host.UEvents.Drain();
        host.Sysfs.Write("/sys/bus/pci/devices/0000:00:02.0/uevent", "change\n").Succeeded.Should().BeTrue();
        host.UEvents.Drain().Should().ContainSingle().Which.Action.Should().Be(MdevCore.DriverModel.UEventAction.Change);
        host.Sysfs.Write("/sys/bus/pci/devices/0000:00:02.0/uevent", "explode").Error.Should().Be(Errno.EINVAL);
    }
}
