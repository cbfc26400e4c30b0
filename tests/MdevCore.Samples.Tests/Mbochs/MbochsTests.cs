using System.Buffers.Binary;
using MdevCore.Mediated;
using MdevCore.Samples.Mbochs;
using MdevCore.Samples.Tests.Support;
using MdevCore.Vfio;

namespace MdevCore.Samples.Tests.Mbochs;

/// <summary>kernel-mdev.md §10.3: the mbochs display, its DISPI registers, EDID region and video memory pool.</summary>
public sealed class MbochsTests
{
    private const uint Mmio = 2;
    private const uint Edid = 9;

    private static (MdevHost Host, MbochsDriver Driver, MdevParent Parent) Load(int megabytes = 256)
    {
        MdevHost host = Vmm.NewHost();
        var driver = new MbochsDriver(new MbochsOptions { TotalMegabytes = megabytes });
        return (host, driver, driver.Register(host).Value);
    }

    private static Vmm StartSmall()
    {
        var (host, _, parent) = Load();
        return Vmm.Start(host, parent.Types[0], Vmm.Uuid(1));
    }

    private static void SetMode(Vmm vmm, ushort width, ushort height, ushort bpp = 32)
    {
        vmm.Write16(Mmio, 0x500 + (2 * 1), width);
        vmm.Write16(Mmio, 0x500 + (2 * 2), height);
        vmm.Write16(Mmio, 0x500 + (2 * 3), bpp);
        vmm.Write16(Mmio, 0x500 + (2 * 4), 0x41); // enabled, linear framebuffer
    }

    [Fact]
    public void A_256_MB_pool_gives_64_small_16_medium_or_4_large_and_descriptions_name_the_memory()
    {
        var (host, _, parent) = Load();

        parent.Types.Select(t => host.Sysfs.ReadText(t.SysfsPath + "/available_instances").Value).Should().Equal("64\n", "16\n", "4\n");
        parent.Types.Select(t => t.Id).Should().Equal("mbochs-small", "mbochs-medium", "mbochs-large");
        host.Sysfs.ReadText(parent.Types[1].SysfsPath + "/description").Value.Should().Be("virtual display, 16 MB video memory\n");
    }

    [Fact]
    public void A_fifth_large_device_returns_ENOSPC_and_a_remove_gives_the_memory_back()
    {
        var (host, driver, parent) = Load();
        for (int i = 1; i <= 4; i++)
        {
            host.Sysfs.Write(parent.Types[2].SysfsPath + "/create", Vmm.Uuid(i)).Succeeded.Should().BeTrue();
        }

        host.Sysfs.Write(parent.Types[0].SysfsPath + "/create", Vmm.Uuid(5)).Error.Should().Be(Errno.ENOSPC);
        host.Sysfs.ReadText($"/sys/bus/mdev/devices/{Vmm.Uuid(1)}/vendor/memory").Value.Should().Be("64 MB\n");
        host.Mdev.RemoveDevice(Guid.Parse(Vmm.Uuid(1))).Should().Be(Errno.None);
        driver.FreeMegabytes.Should().Be(64);
        host.Sysfs.ReadText(parent.Types[0].SysfsPath + "/available_instances").Value.Should().Be("16\n");
    }

    [Fact]
    public void A_failed_create_after_the_memory_was_taken_restores_the_pool()
    {
        var (host, driver, parent) = Load();
        driver.AllocationFault = _ => Errno.ENOMEM;

        host.Sysfs.Write(parent.Types[1].SysfsPath + "/create", Vmm.Uuid(1)).Error.Should().Be(Errno.ENOMEM);

        driver.FreeMegabytes.Should().Be(256);
    }

    [Fact]
    public void Config_space_shows_qemu_stdvga_with_vram_in_BAR0_and_a_register_page_in_BAR2()
    {
        using Vmm vmm = StartSmall();

        vmm.Config32(0x00).Should().Be(0x11111234u);
        vmm.Config32(0x2c).Should().Be(0x11001af4u);
        vmm.SizeBar(0).Should().Be(0xffc00008u, "4 MiB, prefetchable");
        vmm.SizeBar(2).Should().Be(0xfffff000u, "one page of MMIO");
        vmm.Region(0).Offset.Should().Be(3 * 4096);
        vmm.Region(Mmio).Offset.Should().Be(4096);
        vmm.Region(Mmio).Size.Should().Be(4096);
    }

    [Fact]
    public void The_DISPI_registers_read_the_bochs_id_and_video_memory_in_64K_units_and_reset_restores_them()
    {
        using Vmm vmm = StartSmall();
        vmm.Read16(Mmio, 0x500).Should().Be(0xb0c5);
        vmm.Read16(Mmio, 0x500 + (2 * 0xa)).Should().Be(64, "4 MiB / 64 KiB");
        SetMode(vmm, 800, 600);
        vmm.Read16(Mmio, 0x502).Should().Be(800);

        vmm.Client.Reset().Should().Be(Errno.None);

        vmm.Read16(Mmio, 0x502).Should().Be(0);
        vmm.Read16(Mmio, 0x500).Should().Be(0xb0c5);
    }

    [Fact]
    public void DISPI_registers_ignore_byte_accesses()
    {
        using Vmm vmm = StartSmall();
        vmm.Write8(Mmio, 0x502, 0x20);
        vmm.Read16(Mmio, 0x502).Should().Be(0);
        vmm.Read8(Mmio, 0x500).Should().Be(0, "a one-byte read of a DISPI register reads as unhandled");
    }

    [Fact]
    public void Query_gfx_plane_returns_a_dmabuf_plane_for_a_valid_mode_and_zeros_when_disabled()
    {
        using Vmm vmm = StartSmall();
        vmm.Client.QueryGfxPlane(VfioFlags.GfxPlaneTypeProbe | VfioFlags.GfxPlaneTypeDmabuf).Succeeded.Should().BeTrue();
        vmm.Client.QueryGfxPlane(VfioFlags.GfxPlaneTypeProbe | VfioFlags.GfxPlaneTypeRegion).Error.Should().Be(Errno.EINVAL);
        vmm.Client.QueryGfxPlane(VfioFlags.GfxPlaneTypeDmabuf).Value.Should().Be(default(VfioGfxPlaneInfo), "the guest has not enabled a mode");

        SetMode(vmm, 800, 600);
        VfioGfxPlaneInfo plane = vmm.Client.QueryGfxPlane(VfioFlags.GfxPlaneTypeDmabuf).Value;

        (plane.DrmFormat, plane.Width, plane.Height, plane.Stride, plane.Size).Should().Be((0x34325258u, 800u, 600u, 3200u, 3200u * 600));
        plane.RegionIndexOrDmabufId.Should().Be(1);
        vmm.Client.QueryGfxPlane(VfioFlags.GfxPlaneTypeDmabuf).Value.RegionIndexOrDmabufId.Should().Be(1, "the same mode keeps its dma-buf");
        SetMode(vmm, 640, 480);
        vmm.Client.QueryGfxPlane(VfioFlags.GfxPlaneTypeDmabuf).Value.RegionIndexOrDmabufId.Should().Be(2);
    }

    [Theory]
    [InlineData(1024, 1025, 32, "does not fit in 4 MiB")]
    [InlineData(800, 600, 16, "only 32 bpp")]
    [InlineData(63, 600, 32, "narrower than 64")]
    public void Query_gfx_plane_reports_no_plane_for_a_mode_it_cannot_show(int width, int height, int bpp, string why)
    {
        using Vmm vmm = StartSmall();
        SetMode(vmm, (ushort)width, (ushort)height, (ushort)bpp);

        vmm.Client.QueryGfxPlane(VfioFlags.GfxPlaneTypeDmabuf).Value.Should().Be(default(VfioGfxPlaneInfo), why);
    }

    [Fact]
    public void The_EDID_region_carries_the_gfx_edid_type_capability_and_its_registers()
    {
        using Vmm vmm = StartSmall();
        VfioRegionInfo edid = vmm.Region(Edid);

        edid.Offset.Should().Be(2 * 4096);
        edid.Flags.Should().Be(VfioFlags.RegionRead | VfioFlags.RegionWrite | VfioFlags.RegionCaps);
        edid.Capabilities.Should().ContainSingle().Which.Should().Be(new VfioRegionTypeCapability(VfioFlags.RegionTypeGfx, VfioFlags.RegionSubtypeGfxEdid));
        vmm.Read32(Edid, 0).Should().Be(0x800u, "edid_offset: the blob starts half a page in");
        vmm.Read32(Edid, 4).Should().Be(0x400u, "edid_max_size");
        vmm.Read32(Edid, 12).Should().Be(800u, "max_xres of a small device");
        vmm.Read32(Edid, 16).Should().Be(600u);
    }

    [Fact]
    public void An_EDID_blob_written_by_the_vmm_shows_in_the_MMIO_BAR_once_the_link_is_up()
    {
        using Vmm vmm = StartSmall();
        byte[] blob = [0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00];
        vmm.Device.Write(blob, vmm.At(Edid, 0x800)).Value.Should().Be(8);
        vmm.Write32(Edid, 8, 128);
        vmm.Read32(Mmio, 0).Should().Be(0u, "link down: the window reads zero");

        vmm.Write32(Edid, 20, 1);

        vmm.Read32(Mmio, 0).Should().Be(0xffffff00u);
        vmm.Read32(Mmio, 4).Should().Be(0x00ffffffu);
        vmm.Write32(Edid, 0, 0x1234);
        vmm.Read32(Edid, 0).Should().Be(0x800u, "edid_offset is read-only");
        vmm.Write16(Edid, 8, 1);
        vmm.Read32(Edid, 8).Should().Be(128u, "register writes must be 4 bytes");
    }

    [Fact]
    public void VRAM_reads_as_zero_until_written_is_mappable_and_is_freed_at_the_last_close()
    {
        using Vmm vmm = StartSmall();
        MbochsDevice state = MbochsDriver.StateOf(vmm.Device.Device)!;
        vmm.Read32(0, 4096).Should().Be(0u);
        state.VramAllocated.Should().BeFalse("reads do not allocate");

        vmm.Write32(0, 4096, 0xcafef00d);
        Memory<byte> vram = vmm.Device.Mmap(3 * 4096, 4 * 1024 * 1024).Value;

        BinaryPrimitives.ReadUInt32LittleEndian(vram.Span[4096..]).Should().Be(0xcafef00d);
        vmm.Device.Mmap(4096, 4096).Error.Should().Be(Errno.EINVAL);
        vmm.Reopen(Vmm.Uuid(1));
        state.VramAllocated.Should().BeFalse();
    }

    [Fact]
    public void GET_REGION_INFO_with_argsz_beyond_48_returns_EINVAL()
    {
        using Vmm vmm = StartSmall();
        byte[] arg = new byte[64];
        arg[0] = 64;
        arg[8] = 7;

        vmm.Device.Ioctl(VfioIoctls.DeviceGetRegionInfo, arg).Error.Should().Be(Errno.EINVAL);
        vmm.Client.GetRegionInfo(10).Error.Should().Be(Errno.EINVAL);
    }

    [Fact]
    public void The_display_has_no_interrupts_and_SET_IRQS_returns_EINVAL()
    {
        using Vmm vmm = StartSmall();
        vmm.Client.GetIrqInfo(1).Value.Count.Should().Be(0);
        vmm.Client.SetIrqs(VfioFlags.IrqSetDataNone | VfioFlags.IrqSetActionTrigger, 0, 0, 0, []).Should().Be(Errno.EINVAL);
    }
}
