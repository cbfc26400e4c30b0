using FluentAssertions;
using MdevCore.Mediated;
using MdevCore.Vfio;

namespace MdevCore.Testing;

/// <summary>The checks of the VFIO device path: drivers with ioctls and region access are held to the rules a VMM relies on,
/// drivers without them to the core's EINVAL for a missing callback.</summary>
public abstract partial class VendorDriverContract
{
    private const uint UnknownIoctl = 0x3B99;

    private void A_vmm_gets_the_device_through_its_iommu_group_vfio_group_and_container()
    {
        (MdevHost host, MdevParent parent) = Start();
        Guid uuid = NextUuid();
        MdevDevice device;
        using (VfioSession vmm = VfioSession.Open(host, FirstWithRoom(host, parent), uuid))
        {
            device = vmm.Handle.Device;
            device.Uuid.Should().Be(uuid);
            device.OpenCount.Should().Be(1, "the VMM holds the device open");
        }

        device.OpenCount.Should().Be(0, "closing the device fd is the last close");
        host.Sysfs.Write($"/sys/bus/mdev/devices/{uuid}/remove", "1\n").Error.Should().Be(Errno.None, "a closed device is removed at once");
    }

    private void Device_info_and_region_info_describe_disjoint_regions_that_answer_reads()
    {
        (MdevHost host, MdevParent parent) = Start();
        MdevType type = FirstWithRoom(host, parent);
        using VfioSession vmm = VfioSession.Open(host, type, NextUuid());
        Result<VfioDeviceInfo> info = vmm.Client.GetInfo();
        if (parent.Ops is not IMdevDeviceIoctl)
        {
            info.Error.Should().Be(Errno.EINVAL, "the core answers ioctls with EINVAL for a driver without IMdevDeviceIoctl");
            return;
        }

        info.Error.Should().Be(Errno.None, "VFIO_DEVICE_GET_INFO");
        List<VfioRegionInfo> regions = Regions(vmm, info.Value);
        vmm.Client.GetRegionInfo(info.Value.NumRegions).Error.Should().Be(Errno.EINVAL, "a region index past num_regions does not exist");
        if (host.Sysfs.ReadText(type.SysfsPath + "/device_api").Value == MdevTypeInfo.VfioPci + "\n")
        {
            (info.Value.Flags & VfioFlags.DevicePci).Should().NotBe(0u, "a vfio-pci type's device says VFIO_DEVICE_FLAGS_PCI");
            info.Value.NumRegions.Should().BeGreaterThanOrEqualTo(VfioFlags.PciNumRegions, "vfio-pci has BAR0-5, ROM, config and VGA regions");
            VfioRegionInfo config = regions.Should().Contain(r => r.Index == VfioFlags.PciConfigRegionIndex, "a PCI device has a config region").Which;
            config.Size.Should().BeGreaterThanOrEqualTo(64UL, "the config region holds at least the standard header");
            if (parent.Ops is IMdevDeviceReadWrite)
            {
                uint ids = vmm.Read32((long)config.Offset).Value;
                (ids & 0xffff).Should().NotBe(0xffffu, "the vendor id at config offset 0 is not the no-device value").And.NotBe(0u);
            }
        }

        VfioRegionInfo[] sized = [.. regions.Where(r => r.Size > 0).OrderBy(r => r.Offset)];
        for (int i = 1; i < sized.Length; i++)
        {
            (sized[i - 1].Offset + sized[i - 1].Size).Should().BeLessThanOrEqualTo(sized[i].Offset, "region {0} and region {1} do not overlap", sized[i - 1].Index, sized[i].Index);
        }

        if (parent.Ops is IMdevDeviceReadWrite)
        {
            foreach (VfioRegionInfo region in sized.Where(r => (r.Flags & VfioFlags.RegionRead) != 0))
            {
                vmm.Handle.Read(new byte[1], (long)region.Offset).Value.Should().Be(1, "region {0} says it is readable at offset {1:x}", region.Index, region.Offset);
            }
        }
    }

    private void Unknown_ioctls_return_ENOTTY_and_a_short_argsz_EINVAL()
    {
        (MdevHost host, MdevParent parent) = Start();
        using VfioSession vmm = VfioSession.Open(host, FirstWithRoom(host, parent), NextUuid());
        byte[] shortInfo = new byte[16];
        shortInfo[0] = 8;
        bool ioctls = parent.Ops is IMdevDeviceIoctl;

        vmm.Handle.Ioctl(UnknownIoctl, new byte[16]).Error.Should().Be(ioctls ? Errno.ENOTTY : Errno.EINVAL, "an ioctl the device does not know");
        vmm.Handle.Ioctl(VfioIoctls.DeviceGetInfo, shortInfo).Error.Should().Be(Errno.EINVAL, "a GET_INFO whose argsz is shorter than the struct");
    }

    private void Accesses_outside_every_region_return_EFAULT()
    {
        (MdevHost host, MdevParent parent) = Start();
        using VfioSession vmm = VfioSession.Open(host, FirstWithRoom(host, parent), NextUuid());
        long outside = 1L << 44;
        if (parent.Ops is IMdevDeviceIoctl && vmm.Client.GetInfo() is { Succeeded: true } info)
        {
            // The first 2^40 boundary past every region: beyond all of them whatever layout the driver chose (vfio-pci's index << 40, or packed).
            ulong end = Regions(vmm, info.Value).Select(r => r.Offset + r.Size).DefaultIfEmpty(0UL).Max();
            outside = (long)((end + (1UL << 40) - 1) & ~((1UL << 40) - 1));
        }

        Errno expected = parent.Ops is IMdevDeviceReadWrite ? Errno.EFAULT : Errno.EINVAL;
        vmm.Handle.Read(new byte[4], outside).Error.Should().Be(expected, "a read at {0:x}, past every region", outside);
        vmm.Handle.Write(new byte[4], outside).Error.Should().Be(expected, "a write at {0:x}, past every region", outside);
    }

    private void Reset_succeeds_and_the_device_answers_as_before()
    {
        (MdevHost host, MdevParent parent) = Start();
        using VfioSession vmm = VfioSession.Open(host, FirstWithRoom(host, parent), NextUuid());
        if (parent.Ops is not IMdevDeviceIoctl)
        {
            vmm.Client.Reset().Should().Be(Errno.EINVAL, "the core answers VFIO_DEVICE_RESET with EINVAL for a driver without IMdevDeviceIoctl");
            return;
        }

        VfioDeviceInfo before = vmm.Client.GetInfo().Value;
        long? config = vmm.Client.GetRegionInfo(VfioFlags.PciConfigRegionIndex) is { Succeeded: true } region && parent.Ops is IMdevDeviceReadWrite
            ? (long)region.Value.Offset
            : null;
        uint? ids = config is { } at ? vmm.Read32(at).Value : null;

        vmm.Client.Reset().Should().Be(Errno.None, "VFIO_DEVICE_RESET");

        vmm.Client.GetInfo().Value.Should().Be(before, "a reset device describes itself as before");
        if (config is { } offset)
        {
            vmm.Read32(offset).Value.Should().Be(ids!.Value, "a reset keeps the PCI vendor and device ids");
        }

        vmm.Handle.Device.OpenCount.Should().Be(1, "a reset does not close the device");
    }

    private static List<VfioRegionInfo> Regions(VfioSession vmm, VfioDeviceInfo info)
    {
        var regions = new List<VfioRegionInfo>();
        for (uint index = 0; index < info.NumRegions; index++)
        {
            Result<VfioRegionInfo> region = vmm.Client.GetRegionInfo(index);
            if (region.Succeeded)
            {
                region.Value.Index.Should().Be(index);
                regions.Add(region.Value);
            }
            else
            {
                region.Error.Should().Be(Errno.EINVAL, "a region index below num_regions the device does not implement is EINVAL");
            }
        }

        return regions;
    }
}
