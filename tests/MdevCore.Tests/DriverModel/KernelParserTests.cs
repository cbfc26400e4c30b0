using System.Text;
using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Sysfs;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.DriverModel;

/// <summary>Stores parse what they are given as the kernel's own store functions do (each test names the function).</summary>
public sealed class KernelParserTests
{
    private const string OtherUuid = "5eed5eed-0000-4000-8000-000000000001";

    private static (MdevHost Host, MdevDevice Mdev) Setup(KernelProfile profile = KernelProfile.Modern)
    {
        MdevHost host = TestHosts.Create(profile);
        if (profile == KernelProfile.Seed)
        {
            _ = host.Mdev.RegisterDriver(new MdevCore.Vfio.VfioMdevDriver()).Value;
        }

        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor());
        MdevDevice mdev = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        _ = host.UEvents.Drain();
        return (host, mdev);
    }

    private static string DevicePath(string file) => $"/sys/bus/mdev/devices/{TestHosts.Uuid1}/{file}";

    [Fact]
    public void Remove_store_parses_with_kstrtoul_up_to_the_first_NUL()
    {
        // remove_store -> kstrtoul on the NUL-terminated buffer kernfs hands over: "1\0junk" is 1.
        var (host, _) = Setup();
        host.Sysfs.Write(DevicePath("remove"), "1\0junk"u8).Error.Should().Be(Errno.None);
        host.Mdev.DeviceCount.Should().Be(0);
    }

    [Theory]
    [InlineData("0", "0\n")]
    [InlineData("0junk", "0\n")]
    [InlineData("junk", "1\n")]
    [InlineData("-1", "1\n")]
    [InlineData("1", "1\n")]
    public void Drivers_autoprobe_store_never_fails_and_looks_only_at_the_first_byte(string written, string reads)
    {
        // drivers_autoprobe_store: buf[0] == '0' switches autoprobe off, anything else on; it always returns count.
        var (host, _) = Setup();
        host.Sysfs.Write("/sys/bus/mdev/drivers_autoprobe", "0").Error.Should().Be(Errno.None);
        host.Sysfs.Write("/sys/bus/mdev/drivers_autoprobe", written).Error.Should().Be(Errno.None);
        host.Sysfs.ReadText("/sys/bus/mdev/drivers_autoprobe").Value.Should().Be(reads);
    }

    [Fact]
    public void Drivers_probe_of_an_unknown_device_returns_ENODEV()
    {
        // drivers_probe_store: bus_find_device_by_name finds nothing -> -ENODEV.
        var (host, _) = Setup();
        host.Sysfs.Write("/sys/bus/mdev/drivers_probe", OtherUuid).Error.Should().Be(Errno.ENODEV);
        host.Sysfs.Write("/sys/bus/pci/drivers_probe", "0000:00:1f.7\n").Error.Should().Be(Errno.ENODEV);
    }

    [Theory]
    [InlineData("change")]
    [InlineData("change\n")]
    [InlineData("change\0")]
    public void A_bare_action_written_to_uevent_carries_SYNTH_UUID_0(string written)
    {
        // kobject_synth_uevent with no arguments adds "SYNTH_UUID=0"; one trailing newline or NUL is dropped.
        var (host, _) = Setup();
        host.Sysfs.Write(DevicePath("uevent"), Encoding.ASCII.GetBytes(written)).Error.Should().Be(Errno.None);
        UEvent change = host.UEvents.Drain().Single();
        change.Action.Should().Be(UEventAction.Change);
        change["SYNTH_UUID"].Should().Be("0");
    }

    [Fact]
    public void An_action_with_a_uuid_and_arguments_carries_SYNTH_UUID_and_SYNTH_ARG_variables()
    {
        // kobject_action_args: the UUID, then " KEY=VALUE" pairs with alphanumeric keys (udevadm trigger --uuid).
        var (host, _) = Setup();
        host.Sysfs.Write(DevicePath("uevent"), $"add {OtherUuid} A=b Key2=v=x\n").Error.Should().Be(Errno.None);
        UEvent add = host.UEvents.Drain().Single();
        add.Action.Should().Be(UEventAction.Add);
        add["SYNTH_UUID"].Should().Be(OtherUuid);
        add["SYNTH_ARG_A"].Should().Be("b");
        add["SYNTH_ARG_Key2"].Should().Be("v=x");
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("")]
    [InlineData("add ")]
    [InlineData("add not-a-uuid")]
    [InlineData("add " + OtherUuid + " a-b=c")]
    [InlineData("add " + OtherUuid + " =c")]
    [InlineData("add " + OtherUuid + "  A=b")]
    [InlineData("add " + OtherUuid + "junk")]
    [InlineData("ad")]
    public void A_malformed_uevent_write_returns_EINVAL_and_sends_nothing(string written)
    {
        var (host, _) = Setup();
        Result<int> result = host.Sysfs.Write(DevicePath("uevent"), Encoding.ASCII.GetBytes(written));

        // An empty write never reaches the store (kernfs returns 0 first).
        result.Error.Should().Be(written.Length == 0 ? Errno.None : Errno.EINVAL);
        host.UEvents.Drain().Should().BeEmpty();
    }

    [Fact]
    public void Seed_uevent_store_takes_an_unknown_action_and_sends_no_SYNTH_variable()
    {
        // v4.10 uevent_store: kobject_action_type on the whole buffer; an unknown action is logged and count returned.
        var (host, _) = Setup(KernelProfile.Seed);
        host.Sysfs.Write(DevicePath("uevent"), "bogus").Error.Should().Be(Errno.None);
        host.Sysfs.Write(DevicePath("uevent"), $"add {OtherUuid}").Error.Should().Be(Errno.None);
        host.UEvents.Drain().Should().BeEmpty();

        host.Sysfs.Write(DevicePath("uevent"), "change\n").Error.Should().Be(Errno.None);
        UEvent change = host.UEvents.Drain().Single();
        change["SYNTH_UUID"].Should().BeNull();
    }

    [Theory]
    [InlineData(KernelProfile.Modern, Errno.EINVAL)]
    [InlineData(KernelProfile.Seed, Errno.None)]
    public void Garbage_written_to_a_bus_or_driver_uevent_file_is_EINVAL_since_4_13(KernelProfile profile, Errno expected)
    {
        // bus_uevent_store and the driver's uevent_store return kobject_synth_uevent's error; v4.10 returned count.
        var (host, mdev) = Setup(profile);
        string driver = mdev.Driver!.SysfsPath;
        host.Sysfs.Write("/sys/bus/mdev/uevent", "bogus").Error.Should().Be(expected);
        host.Sysfs.Write(driver + "/uevent", "bogus").Error.Should().Be(expected);
        host.Sysfs.Write("/sys/bus/mdev/uevent", "add\n").Error.Should().Be(Errno.None);
        host.Sysfs.Write(driver + "/uevent", "change").Error.Should().Be(Errno.None);
    }

    [Fact]
    public void An_emulated_iommu_group_type_is_0644_reads_unknown_and_refuses_a_change_with_EINVAL()
    {
        // iommu_group_show_type with no default domain -> "unknown"; iommu_group_store_type -> -EINVAL without one.
        var (host, mdev) = Setup();
        string type = mdev.IommuGroup!.SysfsPath + "/type";
        host.Sysfs.Stat(type).Value.Mode.Should().Be(SysfsAttribute.Modes.ReadWrite);
        host.Sysfs.ReadText(type).Value.Should().Be("unknown\n");
        host.Sysfs.Write(type, "DMA").Error.Should().Be(Errno.EINVAL);
    }

    [Fact]
    public void A_seed_iommu_group_holds_only_devices()
    {
        // v4.10 iommu_group_alloc: reserved_regions came in 4.11, type in 5.2.
        var (host, mdev) = Setup(KernelProfile.Seed);
        host.Sysfs.List(mdev.IommuGroup!.SysfsPath).Value.Should().Equal("devices");
    }
}
