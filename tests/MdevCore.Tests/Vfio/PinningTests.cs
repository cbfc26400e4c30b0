using MdevCore.Mediated;
using MdevCore.Tests.Support;
using MdevCore.Vfio;

namespace MdevCore.Tests.Vfio;

/// <summary>kernel-mdev.md §9 and §11 item 14: pinning guest pages for vendor drivers.</summary>
public sealed class PinningTests
{
    private sealed class PinningVendor : TestVendor, IVfioDmaUnmap
    {
        public VfioContainer? Container { get; set; }

        public bool Cooperative { get; set; } = true;

        public bool Throws { get; set; }

        public List<(ulong Iova, ulong Length)> Requests { get; } = [];

        public void DmaUnmap(MdevDevice mdev, ulong iova, ulong length)
        {
            Requests.Add((iova, length));
            if (Throws)
            {
                throw new InvalidOperationException("vendor bug");
            }

            if (Cooperative)
            {
                for (ulong page = iova; page < iova + length; page += 4096)
                {
                    while (Container!.GetPinCount(mdev, page) > 0)
                    {
                        Container.UnpinPages(mdev, page, 1);
                    }
                }
            }
        }
    }

    private static (MdevDevice Device, MdevDeviceHandle Handle, VfioContainer Container, PinningVendor Vendor) Setup()
    {
        MdevHost host = TestHosts.Create();
        var vendor = new PinningVendor();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), vendor);
        MdevDevice device = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        VfioGroup group = host.Vfio.OpenGroup(device.IommuGroup!.Id).Value;
        VfioContainer container = VfioHost.CreateContainer();
        _ = group.SetContainer(container);
        _ = container.SetIommu(VfioIommuType.Type1v2);
        _ = container.MapDma(0x100000, new byte[16 * 4096]);
        _ = container.MapDma(0x200000, new byte[4096], readable: true, writable: false);
        vendor.Container = container;
        return (device, group.GetDevice(TestHosts.Uuid1).Value, container, vendor);
    }

    [Fact]
    public void Pins_are_all_or_nothing_counted_per_page_and_charged_once()
    {
        var (device, _, container, _) = Setup();
        container.PinPages(device, 0x100000, 4, write: true).Value.Should().Be(4);
        container.PinPages(device, 0x101000, 1, write: false).Value.Should().Be(1);
        container.GetPinCount(device, 0x101000).Should().Be(2);
        container.LockedPages.Should().Be(4);

        container.PinPages(device, 0x10e000, 4, write: true).Error.Should().Be(Errno.EINVAL, "the last two pages are outside every mapping");
        container.GetPinCount(device, 0x10e000).Should().Be(0, "nothing of a failed call stays pinned");

        container.UnpinPages(device, 0x100000, 4);
        container.UnpinPages(device, 0x101000, 1);
        container.LockedPages.Should().Be(0);
    }

    [Fact]
    public void More_than_512_pages_returns_E2BIG()
    {
        var (device, _, container, _) = Setup();
        container.PinPages(device, 0x100000, 513, write: false).Error.Should().Be(Errno.E2BIG);
        container.PinPages(device, 0x100000, 0, write: false).Error.Should().Be(Errno.EINVAL);
    }

    [Fact]
    public void A_write_pin_on_a_read_only_mapping_returns_EPERM()
    {
        var (device, _, container, _) = Setup();
        container.PinPages(device, 0x200000, 1, write: true).Error.Should().Be(Errno.EPERM);
        container.PinPages(device, 0x200000, 1, write: false).Value.Should().Be(1);
    }

    [Fact]
    public void Pinning_needs_an_open_device_and_a_dma_unmap_callback()
    {
        var (device, handle, container, _) = Setup();
        handle.Dispose();
        container.PinPages(device, 0x100000, 1, write: false).Error.Should().Be(Errno.EINVAL);

        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor());
        MdevDevice plain = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid2)).Value;
        using MdevDeviceHandle open = plain.Open().Value;
        container.PinPages(plain, 0x100000, 1, write: false).Error.Should().Be(Errno.EINVAL);
    }

    [Fact]
    public void The_locked_memory_limit_returns_ENOMEM()
    {
        var (device, _, container, _) = Setup();
        container.LockedMemoryLimitPages = 3;
        container.PinPages(device, 0x100000, 4, write: false).Error.Should().Be(Errno.ENOMEM);
        container.PinPages(device, 0x100000, 3, write: false).Value.Should().Be(3);
        container.PinPages(device, 0x100000, 3, write: false).Value.Should().Be(3, "re-pinning the same pages charges nothing more");
    }

    [Fact]
    public void Unmapping_pinned_pages_asks_the_vendor_to_unpin_first()
    {
        var (device, _, container, vendor) = Setup();
        _ = container.PinPages(device, 0x102000, 2, write: true);
        container.UnmapDma(0x100000, 16 * 4096).Value.Should().Be(16UL * 4096);
        vendor.Requests.Should().Equal((0x100000UL, 16UL * 4096));
        container.LockedPages.Should().Be(0);
    }

    [Fact]
    public void A_vendor_that_does_not_unpin_loses_its_pins_and_the_unmap_completes()
    {
        var (device, _, container, vendor) = Setup();
        vendor.Cooperative = false;
        _ = container.PinPages(device, 0x100000, 1, write: false);

        container.UnmapDma(0x100000, 16 * 4096).Value.Should().Be(16UL * 4096);

        vendor.Requests.Should().HaveCount(VfioContainer.MaxUnpinRounds, "the vendor is asked as often as the kernel asks");
        container.GetPinCount(device, 0x100000).Should().Be(0, "the core takes back the pins the vendor kept");
        container.LockedPages.Should().Be(0);
        container.GetMappings().Should().HaveCount(1, "only the other mapping stays");
    }

    [Fact]
    public void A_DmaUnmap_that_throws_loses_its_pins_and_the_unmap_completes()
    {
        var (device, _, container, vendor) = Setup();
        vendor.Throws = true;
        _ = container.PinPages(device, 0x100000, 2, write: false);

        container.UnmapDma(0x100000, 16 * 4096).Value.Should().Be(16UL * 4096);

        vendor.Requests.Should().HaveCount(1, "a vendor that throws is not asked again");
        container.LockedPages.Should().Be(0);
        container.GetMappings().Select(m => m.Iova).Should().Equal(0x200000UL);
    }

    [Fact]
    public void An_unmap_that_would_split_a_mapping_fails_before_any_vendor_is_asked()
    {
        var (device, _, container, vendor) = Setup();
        _ = container.PinPages(device, 0x100000, 1, write: false);
        container.UnmapDma(0x100000, 4096).Error.Should().Be(Errno.EINVAL);
        vendor.Requests.Should().BeEmpty();
        container.GetPinCount(device, 0x100000).Should().Be(1);
    }
}
