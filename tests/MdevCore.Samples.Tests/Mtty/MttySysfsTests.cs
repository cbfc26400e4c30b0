using MdevCore.DriverModel;
using MdevCore.Samples.Mtty;
using MdevCore.Samples.Tests.Support;
using MdevCore.Vfio;

namespace MdevCore.Samples.Tests.Mtty;

/// <summary>kernel-mdev.md §4.1 and §10.1: what mtty shows in sysfs and how its port pool is counted.</summary>
public sealed class MttySysfsTests
{
    [Fact]
    public void Types_are_single_and_dual_port_serial_with_24_and_12_instances_and_no_description()
    {
        var (host, _, single, dual) = MttyFixture.Load();

        host.Sysfs.ReadText(single.SysfsPath + "/name").Value.Should().Be("Single port serial\n");
        host.Sysfs.ReadText(dual.SysfsPath + "/name").Value.Should().Be("Dual port serial\n");
        host.Sysfs.ReadText(single.SysfsPath + "/available_instances").Value.Should().Be("24\n");
        host.Sysfs.ReadText(dual.SysfsPath + "/available_instances").Value.Should().Be("12\n");
        host.Sysfs.Exists(single.SysfsPath + "/description").Should().BeFalse();
    }

    [Fact]
    public void Each_device_has_vendor_sample_mdev_dev_naming_itself()
    {
        var (host, _, single, _) = MttyFixture.Load();
        host.Sysfs.Write(single.SysfsPath + "/create", Vmm.Uuid(1)).Succeeded.Should().BeTrue();

        host.Sysfs.ReadText($"/sys/bus/mdev/devices/{Vmm.Uuid(1)}/vendor/sample_mdev_dev").Value
            .Should().Be($"This is MDEV {Vmm.Uuid(1)}\n");
        host.Sysfs.ReadLink($"/sys/bus/mdev/devices/{Vmm.Uuid(1)}/driver").Value.Should().EndWith("/bus/mdev/drivers/mtty");
    }

    [Fact]
    public void The_parent_attribute_mtty_dev_sample_mtty_dev_exists_under_the_seed_profile_only()
    {
        var (seed, _, _, _) = MttyFixture.Load(profile: KernelProfile.Seed);
        var (modern, _, _, _) = MttyFixture.Load();

        seed.Sysfs.ReadText("/sys/devices/virtual/mtty/mtty/mtty_dev/sample_mtty_dev").Value.Should().Be("This is phy device\n");
        modern.Sysfs.Exists("/sys/devices/virtual/mtty/mtty/mtty_dev").Should().BeFalse("the 6.x sample dropped it");
    }

    [Fact]
    public void Twelve_dual_port_devices_use_the_pool_and_the_thirteenth_returns_ENOSPC_after_an_add_and_remove_uevent()
    {
        var (host, driver, single, dual) = MttyFixture.Load();
        for (int i = 1; i <= 12; i++)
        {
            host.Sysfs.Write(dual.SysfsPath + "/create", Vmm.Uuid(i)).Succeeded.Should().BeTrue();
        }

        _ = host.UEvents.Drain();

        host.Sysfs.Write(dual.SysfsPath + "/create", Vmm.Uuid(13)).Error.Should().Be(Errno.ENOSPC);

        host.UEvents.Drain().Select(e => e.Action.ToKernelString()).Should().Equal("add", "remove");
        driver.FreePorts.Should().Be(0);
        host.Sysfs.ReadText(single.SysfsPath + "/available_instances").Value.Should().Be("0\n");
    }

    [Fact]
    public void Create_beyond_24_ports_returns_ENOSPC_and_a_dual_port_device_takes_two()
    {
        var (host, _, single, dual) = MttyFixture.Load();
        host.Sysfs.Write(dual.SysfsPath + "/create", Vmm.Uuid(100)).Succeeded.Should().BeTrue();
        host.Sysfs.ReadText(single.SysfsPath + "/available_instances").Value.Should().Be("22\n");
        for (int i = 1; i <= 22; i++)
        {
            host.Sysfs.Write(single.SysfsPath + "/create", Vmm.Uuid(i)).Succeeded.Should().BeTrue();
        }

        host.Sysfs.Write(single.SysfsPath + "/create", Vmm.Uuid(23)).Error.Should().Be(Errno.ENOSPC);
        host.Mdev.RemoveDevice(Guid.Parse(Vmm.Uuid(100))).Should().Be(Errno.None);
        host.Sysfs.ReadText(dual.SysfsPath + "/available_instances").Value.Should().Be("1\n");
    }

    [Fact]
    public void The_pool_is_a_constructor_option_and_two_drivers_do_not_share_it()
    {
        var (small, _, _, smallDual) = MttyFixture.Load(ports: 3);
        var (other, _, otherSingle, _) = MttyFixture.Load();

        small.Sysfs.ReadText(smallDual.SysfsPath + "/available_instances").Value.Should().Be("1\n");
        small.Sysfs.Write(smallDual.SysfsPath + "/create", Vmm.Uuid(1)).Succeeded.Should().BeTrue();
        small.Sysfs.Write(smallDual.SysfsPath + "/create", Vmm.Uuid(2)).Error.Should().Be(Errno.ENOSPC);
        other.Sysfs.ReadText(otherSingle.SysfsPath + "/available_instances").Value.Should().Be("24\n");
    }

    [Fact]
    public void Registering_one_driver_twice_returns_EBUSY_and_a_negative_pool_throws()
    {
        var (host, driver, _, _) = MttyFixture.Load();

        driver.Register(host).Error.Should().Be(Errno.EBUSY);
        FluentActions.Invoking(() => new MttyDriver(new MttyOptions { TotalPorts = -1 })).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Under_the_seed_profile_a_vmm_reaches_mtty_through_vfio_mdev()
    {
        MdevHost host = Vmm.NewHost(KernelProfile.Seed);
        _ = host.Mdev.RegisterDriver(new VfioMdevDriver()).Value;
        var driver = new MttyDriver();
        var parent = driver.Register(host).Value;

        using Vmm vmm = Vmm.Start(host, parent.Types[1], Vmm.Uuid(1));

        vmm.Config32(0).Should().Be(0x32534348u);
        host.Sysfs.ReadLink($"/sys/bus/mdev/devices/{Vmm.Uuid(1)}/driver").Value.Should().EndWith("/vfio_mdev");
    }
}
