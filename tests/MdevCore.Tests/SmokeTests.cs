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

public sealed class IommuGroupSmokeTests
{
    [Fact]
    public void Bound_mdev_has_a_rendered_single_device_iommu_group()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor());
        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;

        string device = "/sys/bus/mdev/devices/" + TestHosts.Uuid1;
        host.Sysfs.ReadLink(device + "/iommu_group").Value.Should().Be("../../../../kernel/iommu_groups/0");
        host.Sysfs.List("/sys/kernel/iommu_groups").Value.Should().Equal("0");
        host.Sysfs.List("/sys/kernel/iommu_groups/0").Value.Should().Equal("devices", "name", "reserved_regions", "type");
        host.Sysfs.ReadText(device + "/iommu_group/name").Value.Should().Be("vfio-noiommu\n");
        host.Sysfs.ReadLink("/sys/kernel/iommu_groups/0/devices/" + TestHosts.Uuid1).Value
            .Should().Be("../../../../devices/pci0000:00/0000:00:02.0/" + TestHosts.Uuid1);
        host.Sysfs.RealPath(device + "/iommu_group/devices/" + TestHosts.Uuid1 + "/mdev_type").Value
            .Should().Be("/sys/devices/pci0000:00/0000:00:02.0/mdev_supported_types/i915-1");

        host.Mdev.RemoveDevice(Guid.Parse(TestHosts.Uuid1)).Should().Be(Errno.None);
        host.Sysfs.Exists("/sys/kernel/iommu_groups/0").Should().BeFalse();
        host.IommuGroups.Count.Should().Be(0);
    }
}
