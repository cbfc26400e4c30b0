using MdevCore;
using MdevCore.DriverModel;
using MdevCore.Mediated;

namespace VendorNamespace.Tests;

/// <summary>The driver's own behaviour, driven through the simulated sysfs as a management tool would.</summary>
public class VendorClassDriverTests
{
    private const string Uuid = "0b4fe8a4-7c51-4f6e-9d3c-5a0e2f1b7c01";

    private static (MdevHost Host, MdevParent Parent, VendorClassDriver Driver) NewHost()
    {
        var host = new MdevHost();
        Device device = host.DeviceModel.AddPciDevice("0000:00:04.0", new PciIds(0x1af4, 0x10f0, 0x120000)).Value;
        var driver = new VendorClassDriver();
        MdevParent parent = host.Mdev.RegisterParent(device, driver, new MdevParentOptions()).Value;
        return (host, parent, driver);
    }

    [Fact]
    public void Writing_a_uuid_to_create_makes_the_device_and_takes_an_instance()
    {
        (MdevHost host, MdevParent parent, VendorClassDriver driver) = NewHost();
        string type = parent.Types[0].SysfsPath;

        host.Sysfs.Write(type + "/create", Uuid + "\n").Succeeded.Should().BeTrue();

        host.Sysfs.Exists("/sys/bus/mdev/devices/" + Uuid).Should().BeTrue();
        host.Sysfs.ReadText(type + "/available_instances").Value.Should().Be($"{driver.Instances - 1}\n");
        driver.DeviceCount.Should().Be(1);
    }

    [Fact]
    public void Writing_1_to_remove_gives_the_instance_back()
    {
        (MdevHost host, MdevParent parent, VendorClassDriver driver) = NewHost();
        host.Sysfs.Write(parent.Types[0].SysfsPath + "/create", Uuid).GetValueOrThrow();

        host.Sysfs.Write($"/sys/bus/mdev/devices/{Uuid}/remove", "1\n").Succeeded.Should().BeTrue();

        host.Sysfs.Exists("/sys/bus/mdev/devices/" + Uuid).Should().BeFalse();
        driver.DeviceCount.Should().Be(0);
    }

    [Fact]
    public void Create_beyond_the_budget_returns_ENOSPC()
    {
        (MdevHost host, MdevParent parent, VendorClassDriver driver) = NewHost();
        for (int i = 0; i < driver.Instances; i++)
        {
            host.Mdev.CreateDevice(parent.Types[0], Guid.NewGuid()).Succeeded.Should().BeTrue();
        }

        host.Mdev.CreateDevice(parent.Types[0], Guid.NewGuid()).Error.Should().Be(Errno.ENOSPC);
    }
}
