using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Samples.Mtty;
using MdevCore.Samples.Tests.Support;
using MdevCore.Sysfs;
using MdevCore.Vfio;

namespace MdevCore.Samples.Tests.Vfio;

/// <summary>kernel-mdev.md §9: a VMM maps guest memory; a vendor pins and unpins pages and honours dma_unmap.</summary>
public sealed class GuestMemoryTests
{
    /// <summary>
    /// mtty extended the way the guide describes: the same driver, composed, plus DMA. The kernel sample cannot
    /// pin (it has no dma_unmap callback); this wrapper pins pages for a pretend DMA engine and unpins on request.
    /// </summary>
    private sealed class DmaMtty(MttyDriver inner) :
        IMdevParentOps, IMdevAvailableInstances, IMdevDeviceAttributeGroups, IMdevDeviceOpen, IMdevDeviceReadWrite, IMdevDeviceIoctl, IVfioDmaUnmap
    {
        public VfioContainer? Container { get; set; }

        public List<(ulong Iova, ulong Length)> UnmapRequests { get; } = [];

        public IReadOnlyList<MdevTypeInfo> SupportedTypes => inner.SupportedTypes;

        public IReadOnlyList<AttributeGroup> DeviceAttributeGroups => inner.DeviceAttributeGroups;

        public Errno Create(MdevDevice mdev) => inner.Create(mdev);

        public Errno Remove(MdevDevice mdev) => inner.Remove(mdev);

        public int GetAvailableInstances(MdevType type) => inner.GetAvailableInstances(type);

        public Errno Open(MdevDevice mdev) => inner.Open(mdev);

        public void Release(MdevDevice mdev) => inner.Release(mdev);

        public Result<int> Read(MdevDevice mdev, Span<byte> buffer, long offset) => inner.Read(mdev, buffer, offset);

        public Result<int> Write(MdevDevice mdev, ReadOnlySpan<byte> data, long offset) => inner.Write(mdev, data, offset);

        public Result<long> Ioctl(MdevDevice mdev, uint command, Span<byte> argument) => inner.Ioctl(mdev, command, argument);

        public void DmaUnmap(MdevDevice mdev, ulong iova, ulong length)
        {
            UnmapRequests.Add((iova, length));
            for (ulong page = iova; page < iova + length; page += VfioIommuType.PageSize)
            {
                while (Container!.GetPinCount(mdev, page) > 0)
                {
                    Container.UnpinPages(mdev, page, 1);
                }
            }
        }
    }

    [Fact]
    public void The_vmm_maps_guest_memory_and_the_container_reads_and_writes_it()
    {
        var (host, _, _, dual) = Mtty.MttyFixture.Load();
        using Vmm vmm = Vmm.Start(host, dual, Vmm.Uuid(1));
        byte[] guest = new byte[16 * 4096];

        vmm.Container.MapDma(0x100000, guest).Should().Be(Errno.None);
        vmm.Container.WriteGuest(0x100100, "ring"u8).Should().Be(Errno.None);

        System.Text.Encoding.ASCII.GetString(guest, 0x100, 4).Should().Be("ring");
        byte[] back = new byte[4];
        vmm.Container.ReadGuest(0x100100, back).Should().Be(Errno.None);
        back.Should().Equal("ring"u8.ToArray());
    }

    [Fact]
    public void Pinning_for_the_plain_mtty_sample_returns_EINVAL_because_it_has_no_dma_unmap()
    {
        var (host, _, _, dual) = Mtty.MttyFixture.Load();
        using Vmm vmm = Vmm.Start(host, dual, Vmm.Uuid(1));
        vmm.Container.MapDma(0x100000, new byte[4096]).Should().Be(Errno.None);

        vmm.Container.PinPages(vmm.Device.Device, 0x100000, 1, write: true).Error.Should().Be(Errno.EINVAL);
    }

    [Fact]
    public void A_dma_capable_mtty_pins_and_unpins_guest_pages_and_unpins_when_the_vmm_unmaps()
    {
        MdevHost host = Vmm.NewHost();
        var vendor = new DmaMtty(new MttyDriver());
        Device device = host.DeviceModel.AddVirtualDevice("mtty", "mtty").Value;
        MdevParent parent = host.Mdev.RegisterParent(device, vendor).Value;
        using Vmm vmm = Vmm.Start(host, parent.Types[0], Vmm.Uuid(1));
        vendor.Container = vmm.Container;
        byte[] guest = new byte[16 * 4096];
        vmm.Container.MapDma(0x100000, guest).Should().Be(Errno.None);
        MdevDevice mdev = vmm.Device.Device;

        vmm.Container.PinPages(mdev, 0x100000, 4, write: true).Value.Should().Be(4);
        vmm.Container.PinPages(mdev, 0x101000, 1, write: false).Value.Should().Be(1);
        vmm.Container.GetPinCount(mdev, 0x101000).Should().Be(2);
        vmm.Container.LockedPages.Should().Be(4);
        vmm.Container.UnpinPages(mdev, 0x101000, 1);
        vmm.Container.GetPinCount(mdev, 0x101000).Should().Be(1);

        vmm.Container.UnmapDma(0x100000, 16 * 4096).Value.Should().Be(16 * 4096UL);

        vendor.UnmapRequests.Should().ContainSingle();
        vmm.Container.LockedPages.Should().Be(0);
        vmm.Container.GetMappings().Should().BeEmpty();
        vmm.Config32(0).Should().Be(0x32534348u, "the composed driver is still mtty");
    }

    [Fact]
    public void Pinning_more_than_512_pages_returns_E2BIG_and_outside_the_mappings_EINVAL()
    {
        MdevHost host = Vmm.NewHost();
        var vendor = new DmaMtty(new MttyDriver());
        MdevParent parent = host.Mdev.RegisterParent(host.DeviceModel.AddVirtualDevice("mtty", "mtty").Value, vendor).Value;
        using Vmm vmm = Vmm.Start(host, parent.Types[0], Vmm.Uuid(1));
        vmm.Container.MapDma(0x100000, new byte[4096]).Should().Be(Errno.None);

        vmm.Container.PinPages(vmm.Device.Device, 0x100000, 513, write: false).Error.Should().Be(Errno.E2BIG);
        vmm.Container.PinPages(vmm.Device.Device, 0x200000, 1, write: false).Error.Should().Be(Errno.EINVAL);
    }
}
