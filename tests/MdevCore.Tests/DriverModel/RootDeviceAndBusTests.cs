using MdevCore.DriverModel;

namespace MdevCore.Tests.DriverModel;

/// <summary>Root devices directly under /sys/devices and buses registered on demand (the s390 css layout).</summary>
public sealed class RootDeviceAndBusTests
{
    [Fact]
    public void A_root_device_sits_directly_under_sys_devices_with_no_subsystem()
    {
        var host = new MdevHost();

        Device css = host.DeviceModel.AddRootDevice("css0").Value;

        css.SysfsPath.Should().Be("/sys/devices/css0");
        host.Sysfs.ReadText("/sys/devices/css0/uevent").Value.Should().Be(string.Empty);
        host.Sysfs.Exists("/sys/devices/css0/subsystem").Should().BeFalse();
        host.DeviceModel.AddRootDevice("css0").Error.Should().Be(Errno.EEXIST);
    }

    [Fact]
    public void GetOrRegisterBus_makes_the_bus_once_and_children_appear_in_its_devices_directory()
    {
        var host = new MdevHost();
        Device css = host.DeviceModel.AddRootDevice("css0").Value;

        Bus bus = host.DeviceModel.GetOrRegisterBus("css");
        host.DeviceModel.GetOrRegisterBus("css").Should().BeSameAs(bus);
        Device sch = host.DeviceModel.AddChildDevice(css, "0.0.0313", bus).Value;

        host.Sysfs.List("/sys/bus/css").Value.Should().Contain(["devices", "drivers", "drivers_autoprobe", "drivers_probe", "uevent"]);
        host.Sysfs.ReadLink("/sys/bus/css/devices/0.0.0313").Value.Should().Be("../../../devices/css0/0.0.0313");
        host.Sysfs.ReadLink("/sys/devices/css0/0.0.0313/subsystem").Value.Should().Be("../../../bus/css");
        host.DeviceModel.GetDevices(bus).Should().Equal(sch);
    }
}
