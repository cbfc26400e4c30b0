using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Tests.Support;

namespace MdevCore.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Create_through_sysfs_then_remove_leaves_the_tree_as_before()
    {
        MdevHost host = TestHosts.Create();
        Device gpu = TestHosts.AddGpu(host);
        MdevParent parent = TestHosts.Register(host, gpu, new TestVendor());
        MdevType type = parent.Types[0];

        host.Sysfs.ReadText(type.Path("available_instances")).Value.Should().Be("4\n");
        host.Sysfs.Write(type.Path("create"), TestHosts.Uuid1 + "\n").Value.Should().Be(37);

        host.Sysfs.Exists("/sys/bus/mdev/devices/" + TestHosts.Uuid1).Should().BeTrue();
        host.Sysfs.ReadLink($"/sys/bus/mdev/devices/{TestHosts.Uuid1}/mdev_type").Value.Should().Be("../mdev_supported_types/i915-1");
        host.Sysfs.ReadText(type.Path("available_instances")).Value.Should().Be("3\n");

        host.Sysfs.Write($"/sys/bus/mdev/devices/{TestHosts.Uuid1}/remove", "1\n").Value.Should().Be(2);
        host.Sysfs.Exists("/sys/bus/mdev/devices/" + TestHosts.Uuid1).Should().BeFalse();
        host.Sysfs.ReadText(type.Path("available_instances")).Value.Should().Be("4\n");
        host.Mdev.DeviceCount.Should().Be(0);
    }
}
