using System.Globalization;
using MdevCore.Mediated;
using MdevCore.Tests.Support;
using MdevCore.Vfio;

namespace MdevCore.Tests.Vfio;

/// <summary>kernel-mdev.md §5.9: the group path a hypervisor uses to reach an mdev.</summary>
public sealed class VfioGroupContainerTests
{
    private static (MdevHost Host, VfioTestVendor Vendor, MdevParent Parent) Setup()
    {
        MdevHost host = TestHosts.Create();
        var vendor = new VfioTestVendor();
        return (host, vendor, TestHosts.Register(host, TestHosts.AddGpu(host), vendor));
    }

    private static int GroupOf(MdevHost host, string uuid) =>
        int.Parse(host.Sysfs.ReadLink($"/sys/bus/mdev/devices/{uuid}/iommu_group").Value.Split('/')[^1], CultureInfo.InvariantCulture);

    [Fact]
    public void A_vmm_creates_an_mdev_through_sysfs_and_reaches_it_through_its_group_and_container()
    {
        var (host, _, parent) = Setup();
        host.Sysfs.Write(parent.Types[0].Path("create"), TestHosts.Uuid1 + "\n").Value.Should().Be(37);

        using VfioGroup group = host.Vfio.OpenGroup(GroupOf(host, TestHosts.Uuid1)).Value;
        group.GetStatus().Should().Be(VfioGroup.FlagViable);
        VfioContainer container = VfioHost.CreateContainer();
        VfioContainer.GetApiVersion().Should().Be(0);
        VfioContainer.CheckExtension(VfioIommuType.Type1v2).Should().Be(1);
        group.SetContainer(container).Should().Be(Errno.None);
        group.GetStatus().Should().Be(VfioGroup.FlagViable | VfioGroup.FlagContainerSet);
        container.SetIommu(VfioIommuType.Type1v2).Should().Be(Errno.None);

        var guest = new byte[4 * 4096];
        container.MapDma(0x100000, guest).Should().Be(Errno.None);
        container.WriteGuest(0x100010, "hello"u8).Should().Be(Errno.None);
        System.Text.Encoding.ASCII.GetString(guest, 16, 5).Should().Be("hello");

        using MdevDeviceHandle device = group.GetDevice(TestHosts.Uuid1).Value;
        new VfioDeviceClient(device).GetRegionInfo(VfioFlags.PciConfigRegionIndex).Value.Offset.Should().Be(7UL << 40);
        group.UnsetContainer().Should().Be(Errno.EBUSY, "a device of the group is open");
    }

    [Fact]
    public void Opening_a_missing_group_returns_ENOENT_and_an_open_one_EBUSY()
    {
        var (host, _, parent) = Setup();
        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        host.Vfio.OpenGroup(7).Error.Should().Be(Errno.ENOENT);
        using VfioGroup group = host.Vfio.OpenGroup(0).Value;
        host.Vfio.OpenGroup(0).Error.Should().Be(Errno.EBUSY);
    }

    [Fact]
    public void Get_device_needs_a_container_with_an_iommu_and_a_member_name()
    {
        var (host, _, parent) = Setup();
        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        using VfioGroup group = host.Vfio.OpenGroup(0).Value;
        group.GetDevice(TestHosts.Uuid1).Error.Should().Be(Errno.EINVAL, "no container");
        VfioContainer container = VfioHost.CreateContainer();
        container.SetIommu(VfioIommuType.Type1v2).Should().Be(Errno.EINVAL, "no group attached yet");
        group.SetContainer(container).Should().Be(Errno.None);
        group.SetContainer(container).Should().Be(Errno.EINVAL);
        group.GetDevice(TestHosts.Uuid1).Error.Should().Be(Errno.EINVAL, "no IOMMU model yet");

        // vfio_ioctl_set_iommu: no driver's VFIO_CHECK_EXTENSION claims sPAPR or an unknown number -> ENODEV; a
        // container that already has a driver -> EINVAL.
        container.SetIommu(VfioIommuType.SpaprTce).Should().Be(Errno.ENODEV);
        container.SetIommu(42).Should().Be(Errno.ENODEV);
        container.SetIommu(VfioIommuType.Type1).Should().Be(Errno.None);
        container.SetIommu(VfioIommuType.Type1v2).Should().Be(Errno.EINVAL);
        group.GetDevice(TestHosts.Uuid2).Error.Should().Be(Errno.ENODEV);
        group.GetDevice(TestHosts.Uuid1).Succeeded.Should().BeTrue();
    }

    [Theory]
    [InlineData(KernelProfile.Modern, Errno.ENODEV)]
    [InlineData(KernelProfile.Seed, Errno.EINVAL)]
    public void Get_device_of_an_unknown_name_without_a_container_looks_the_name_up_first_since_6_2(KernelProfile profile, Errno expected)
    {
        // 6.x vfio_group_ioctl_get_device_fd: vfio_device_get_from_name (ENODEV), then vfio_df_group_open's
        // container check (EINVAL); v4.10 vfio_group_get_device_fd checked the container first.
        MdevHost host = TestHosts.Create(profile);
        if (profile == KernelProfile.Seed)
        {
            _ = host.Mdev.RegisterDriver(new VfioMdevDriver()).Value;
        }

        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor());
        MdevDevice mdev = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        using VfioGroup group = host.Vfio.OpenGroup(mdev.IommuGroup!.Id).Value;
        group.GetDevice(TestHosts.Uuid2).Error.Should().Be(expected);
        group.GetDevice(TestHosts.Uuid1).Error.Should().Be(Errno.EINVAL, "a member with no container is EINVAL in both");
    }

    [Fact]
    public void An_open_group_keeps_its_iommu_group_alive_after_the_device_is_removed()
    {
        var (host, _, parent) = Setup();
        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        VfioGroup group = host.Vfio.OpenGroup(0).Value;
        host.Mdev.RemoveDevice(Guid.Parse(TestHosts.Uuid1)).Should().Be(Errno.None);
        host.Sysfs.Exists("/sys/kernel/iommu_groups/0").Should().BeTrue();
        group.GetStatus().Should().Be(0u, "no member left, not viable");
        group.Dispose();
        host.Sysfs.Exists("/sys/kernel/iommu_groups/0").Should().BeFalse();
        host.Vfio.OpenGroup(0).Error.Should().Be(Errno.ENOENT);
    }

    [Fact]
    public void Map_and_unmap_follow_type1_rules()
    {
        var (host, _, parent) = Setup();
        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        using VfioGroup group = host.Vfio.OpenGroup(0).Value;
        VfioContainer container = VfioHost.CreateContainer();
        container.MapDma(0, new byte[4096]).Should().Be(Errno.EINVAL, "no IOMMU model yet");
        _ = group.SetContainer(container);
        _ = container.SetIommu(VfioIommuType.Type1v2);

        container.MapDma(0x1000, new byte[8192]).Should().Be(Errno.None);
        container.MapDma(0x2000, new byte[4096]).Should().Be(Errno.EEXIST);
        container.MapDma(0x10001, new byte[4096]).Should().Be(Errno.EINVAL);
        container.MapDma(0x10000, new byte[100]).Should().Be(Errno.EINVAL);
        container.MapDma(0x10000, new byte[4096], readable: false, writable: false).Should().Be(Errno.EINVAL);
        container.MapDma(0x10000, new byte[4096], readable: true, writable: false).Should().Be(Errno.None);

        container.WriteGuest(0x10000, [1]).Should().Be(Errno.EPERM);
        container.ReadGuest(0x5000, new byte[1]).Should().Be(Errno.EFAULT);
        container.ReadGuest(0x2ff0, new byte[32]).Should().Be(Errno.EFAULT, "the range runs past the mapping");
        container.UnmapDma(0x2000, 0x1000).Error.Should().Be(Errno.EINVAL, "type1v2 does not split a mapping");
        container.UnmapDma(0, 0x100000).Value.Should().Be(0x3000UL);
        container.GetMappings().Should().BeEmpty();
    }

    [Fact]
    public void Closing_the_last_group_clears_the_container()
    {
        var (host, _, parent) = Setup();
        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        VfioContainer container = VfioHost.CreateContainer();
        VfioGroup group = host.Vfio.OpenGroup(0).Value;
        _ = group.SetContainer(container);
        _ = container.SetIommu(VfioIommuType.Type1v2);
        _ = container.MapDma(0, new byte[4096]);
        group.Dispose();
        container.GetMappings().Should().BeEmpty();
        container.IommuType.Should().Be(0);
    }
}
