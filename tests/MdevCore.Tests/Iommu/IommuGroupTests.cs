using MdevCore.Iommu;
using MdevCore.Mediated;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.Iommu;

/// <summary>One single-device group per bound mdev, with the seed review's reference rules (kernel-mdev.md §2.3, §3.5).</summary>
public sealed class IommuGroupTests
{
    private static (MdevHost Host, MdevDevice Mdev) Setup()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor());
        return (host, host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value);
    }

    [Fact]
    public void Bound_mdev_has_a_rendered_single_device_group_named_vfio_noiommu()
    {
        var (host, mdev) = Setup();
        string device = "/sys/bus/mdev/devices/" + TestHosts.Uuid1;
        host.Sysfs.List("/sys/kernel/iommu_groups").Value.Should().Equal("0");
        host.Sysfs.List("/sys/kernel/iommu_groups/0").Value.Should().Equal("devices", "name", "reserved_regions", "type");
        host.Sysfs.ReadText(device + "/iommu_group/name").Value.Should().Be("vfio-noiommu\n");
        host.Sysfs.ReadLink("/sys/kernel/iommu_groups/0/devices/" + TestHosts.Uuid1).Value
            .Should().Be("../../../../devices/pci0000:00/0000:00:02.0/" + TestHosts.Uuid1);
        host.Sysfs.RealPath(device + "/iommu_group/devices/" + TestHosts.Uuid1 + "/mdev_type").Value
            .Should().Be("/sys/devices/pci0000:00/0000:00:02.0/mdev_supported_types/i915-1");
        mdev.IommuGroup!.GetMembers().Should().Equal(mdev);
        mdev.IommuGroup.ReferenceCount.Should().Be(1, "the allocator dropped its reference; membership holds the only one");
    }

    [Fact]
    public void Removing_the_last_member_frees_the_group_and_its_id()
    {
        var (host, mdev) = Setup();
        IommuGroup group = mdev.IommuGroup!;
        host.Mdev.RemoveDevice(mdev).Should().Be(Errno.None);
        group.IsAlive.Should().BeFalse();
        host.Sysfs.Exists("/sys/kernel/iommu_groups/0").Should().BeFalse();
        host.IommuGroups.Count.Should().Be(0);
        host.IommuGroups.Acquire(0).Error.Should().Be(Errno.ENOENT);
    }

    [Fact]
    public void A_long_lived_holder_keeps_the_group_alive_after_the_device_goes()
    {
        var (host, mdev) = Setup();
        Lease<IommuGroup> lease = host.IommuGroups.Acquire(mdev.IommuGroup!.Id).Value;
        host.Mdev.RemoveDevice(mdev).Should().Be(Errno.None);

        lease.Target.IsAlive.Should().BeTrue();
        host.Sysfs.List("/sys/kernel/iommu_groups/0/devices").Value.Should().BeEmpty();
        lease.Dispose();
        lease.Dispose();
        host.Sysfs.Exists("/sys/kernel/iommu_groups/0").Should().BeFalse();
    }

    [Fact]
    public void Ids_are_the_smallest_free_numbers()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor());
        foreach (string uuid in new[] { TestHosts.Uuid1, TestHosts.Uuid2, TestHosts.Uuid3 })
        {
            _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(uuid)).Value;
        }

        host.Mdev.RemoveDevice(Guid.Parse(TestHosts.Uuid2)).Should().Be(Errno.None);
        host.IommuGroups.GetIds().Should().Equal(0, 2);
        MdevDevice again = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid2)).Value;
        again.IommuGroup!.Id.Should().Be(1);
    }

    [Fact]
    public void The_device_holds_a_reference_for_its_group_membership()
    {
        var (host, mdev) = Setup();
        int withGroup = mdev.ReferenceCount;
        host.Sysfs.Write("/sys/bus/mdev/drivers/i915/unbind", TestHosts.Uuid1).Succeeded.Should().BeTrue();
        mdev.ReferenceCount.Should().Be(withGroup - 1);
        mdev.IommuGroup.Should().BeNull();
    }
}
