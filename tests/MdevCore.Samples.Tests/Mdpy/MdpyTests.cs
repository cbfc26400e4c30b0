using MdevCore.Mediated;
using MdevCore.Samples.Mdpy;
using MdevCore.Samples.Tests.Support;
using MdevCore.Vfio;

namespace MdevCore.Samples.Tests.Mdpy;

/// <summary>kernel-mdev.md §10.2: the mdpy display through sysfs and the VFIO device path.</summary>
public sealed class MdpyTests
{
    private static (MdevHost Host, MdevParent Parent) Load(int max = 4)
    {
        MdevHost host = Vmm.NewHost();
        return (host, new MdpyDriver(new MdpyOptions { MaxDevices = max }).Register(host).Value);
    }

    private static Vmm StartVga()
    {
        var (host, parent) = Load();
        return Vmm.Start(host, parent.Types[0], Vmm.Uuid(1));
    }

    [Fact]
    public void Three_types_describe_their_framebuffer_and_share_a_core_counted_limit_of_4()
    {
        var (host, parent) = Load();

        parent.Types.Select(t => t.Id).Should().Equal("mdpy-vga", "mdpy-xga", "mdpy-hd");
        host.Sysfs.ReadText(parent.Types[1].SysfsPath + "/name").Value.Should().Be("mdpy-xga\n");
        host.Sysfs.ReadText(parent.Types[2].SysfsPath + "/description").Value.Should().Be("virtual display, 1920x1080 framebuffer\n");
        host.Sysfs.ReadText(parent.Types[0].SysfsPath + "/available_instances").Value.Should().Be("4\n");
        parent.MaxInstances.Should().Be(4);
    }

    [Fact]
    public void A_fifth_display_of_any_type_returns_EUSERS_from_the_core()
    {
        var (host, parent) = Load();
        for (int i = 0; i < 4; i++)
        {
            host.Sysfs.Write(parent.Types[i % 2].SysfsPath + "/create", Vmm.Uuid(i + 1)).Succeeded.Should().BeTrue();
        }

        host.Sysfs.Write(parent.Types[2].SysfsPath + "/create", Vmm.Uuid(5)).Error.Should().Be(Errno.EUSERS);
        host.Sysfs.ReadText(parent.Types[2].SysfsPath + "/available_instances").Value.Should().Be("0\n");
    }

    [Fact]
    public void Each_display_shows_its_resolution_in_vendor_resolution()
    {
        var (host, parent) = Load();
        host.Sysfs.Write(parent.Types[1].SysfsPath + "/create", Vmm.Uuid(1)).Succeeded.Should().BeTrue();

        host.Sysfs.ReadText($"/sys/bus/mdev/devices/{Vmm.Uuid(1)}/vendor/resolution").Value.Should().Be("1024x768\n");
    }

    [Fact]
    public void Config_space_has_red_hat_ids_and_a_vendor_capability_with_format_and_mode()
    {
        using Vmm vmm = StartVga();
        const uint config = VfioFlags.PciConfigRegionIndex;

        vmm.Config32(0x00).Should().Be(0x000f1b36u);
        vmm.Config32(0x2c).Should().Be(0x11001af4u, "subsystem: Red Hat/Qumranet, QEMU");
        (vmm.Read16(config, 0x06) & 0x10).Should().Be(0x10, "capability list present");
        vmm.Read16(config, 0x0a).Should().Be(0x0380, "display controller, other");
        vmm.Read8(config, 0x34).Should().Be(0x40);
        vmm.Read8(config, 0x40).Should().Be(0x09, "vendor-specific capability");
        vmm.Read8(config, 0x42).Should().Be(0x10, "its length");
        vmm.Config32(0x44).Should().Be(0x34325258u, "XRGB8888");
        vmm.Config32(0x48).Should().Be(640u);
        vmm.Config32(0x4c).Should().Be(480u);
    }

    [Fact]
    public void BAR0_sizes_to_the_framebuffer_rounded_up_to_a_power_of_two()
    {
        using Vmm vmm = StartVga();

        vmm.SizeBar(0).Should().Be(0xffe00008u, "640x480x4 rounds up to 2 MiB; prefetchable memory");
        vmm.WriteConfig32(0x10, 0xe0000000);
        vmm.Config32(0x10).Should().Be(0xe0000008u);
        vmm.WriteConfig32(0x14, uint.MaxValue);
        vmm.Config32(0x14).Should().Be(0u, "only BAR0 is writable");
    }

    [Fact]
    public void The_framebuffer_region_is_mappable_and_shares_memory_with_region_reads()
    {
        using Vmm vmm = StartVga();
        VfioRegionInfo bar = vmm.Region(0);
        bar.Offset.Should().Be(4096);
        bar.Size.Should().Be(2 * 1024 * 1024);
        bar.Flags.Should().Be(VfioFlags.RegionRead | VfioFlags.RegionWrite | VfioFlags.RegionMmap);

        Memory<byte> fb = vmm.Device.Mmap((long)bar.Offset, (long)bar.Size).Value;
        fb.Span[2560 * 10] = 0xab;

        vmm.Read8(0, 2560 * 10).Should().Be(0xab);
        vmm.Write32(0, 8, 0xdeadbeef);
        fb.Span[8].Should().Be(0xef);
    }

    [Fact]
    public void Mmap_elsewhere_than_the_framebuffer_or_larger_than_it_returns_EINVAL()
    {
        using Vmm vmm = StartVga();

        vmm.Device.Mmap(0, 4096).Error.Should().Be(Errno.EINVAL);
        vmm.Device.Mmap(8192, 4096).Error.Should().Be(Errno.EINVAL);
        vmm.Device.Mmap(4096, (2 * 1024 * 1024) + 4096).Error.Should().Be(Errno.EINVAL);
    }

    [Fact]
    public void Query_gfx_plane_reports_the_region_plane_and_probing_accepts_region_only()
    {
        using Vmm vmm = StartVga();

        vmm.Client.QueryGfxPlane(VfioFlags.GfxPlaneTypeProbe | VfioFlags.GfxPlaneTypeRegion).Succeeded.Should().BeTrue();
        vmm.Client.QueryGfxPlane(VfioFlags.GfxPlaneTypeProbe | VfioFlags.GfxPlaneTypeDmabuf).Error.Should().Be(Errno.EINVAL);
        vmm.Client.QueryGfxPlane(VfioFlags.GfxPlaneTypeDmabuf).Error.Should().Be(Errno.EINVAL);

        VfioGfxPlaneInfo plane = vmm.Client.QueryGfxPlane(VfioFlags.GfxPlaneTypeRegion).Value;
        (plane.DrmFormat, plane.Width, plane.Height, plane.Stride, plane.Size, plane.RegionIndexOrDmabufId)
            .Should().Be((0x34325258u, 640u, 480u, 2560u, 2u * 1024 * 1024, 16u));
        vmm.Region(16).Offset.Should().Be(4096, "the display region is the framebuffer");
    }

    [Fact]
    public void Query_gfx_plane_with_argsz_short_of_the_union_returns_EINVAL()
    {
        using Vmm vmm = StartVga();
        byte[] arg = new byte[64];
        arg[0] = 56;
        arg[4] = (byte)VfioFlags.GfxPlaneTypeRegion;

        vmm.Device.Ioctl(VfioIoctls.DeviceQueryGfxPlane, arg).Error.Should().Be(Errno.EINVAL);
    }

    [Fact]
    public void Region_indexes_above_8_other_than_16_return_EINVAL_and_unused_ones_report_size_0()
    {
        using Vmm vmm = StartVga();

        vmm.Client.GetRegionInfo(9).Error.Should().Be(Errno.EINVAL);
        vmm.Client.GetRegionInfo(17).Error.Should().Be(Errno.EINVAL);
        vmm.Region(2).Size.Should().Be(0);
        vmm.Region(VfioFlags.PciConfigRegionIndex).Offset.Should().Be(0);
    }

    [Fact]
    public void The_display_has_no_interrupts_and_SET_IRQS_returns_EINVAL()
    {
        using Vmm vmm = StartVga();

        vmm.Client.GetIrqInfo(0).Value.Count.Should().Be(0);
        vmm.Client.GetIrqInfo(5).Error.Should().Be(Errno.EINVAL);
        vmm.Client.SetIrqs(VfioFlags.IrqSetDataNone | VfioFlags.IrqSetActionTrigger, 0, 0, 0, []).Should().Be(Errno.EINVAL);
    }

    [Fact]
    public void The_framebuffer_starts_as_a_grey_gradient_and_reset_paints_it_again()
    {
        using Vmm vmm = StartVga();
        vmm.Read8(0, 0).Should().Be(0);
        vmm.Read8(0, 2560L * 479).Should().Be(254, "479 × 255 / 480");
        vmm.Write8(0, 2560L * 240, 7);

        vmm.Client.Reset().Should().Be(Errno.None);

        vmm.Read8(0, 2560L * 240).Should().Be(127);
    }
}
