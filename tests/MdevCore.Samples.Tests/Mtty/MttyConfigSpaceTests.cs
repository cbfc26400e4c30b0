using MdevCore.Samples.Tests.Support;
using MdevCore.Vfio;

namespace MdevCore.Samples.Tests.Mtty;

/// <summary>kernel-mdev.md §10.1: the mtty PCI header and its BARs, read and written through the VFIO config region.</summary>
public sealed class MttyConfigSpaceTests
{
    [Fact]
    public void Config_space_identifies_a_16550_serial_controller_with_the_samples_ids()
    {
        using Vmm vmm = MttyFixture.StartDual();

        vmm.Read16(VfioFlags.PciConfigRegionIndex, 0x00).Should().Be(0x4348, "vendor id");
        vmm.Read16(VfioFlags.PciConfigRegionIndex, 0x02).Should().Be(0x3253, "device id");
        vmm.Config32(0x2c).Should().Be(0x32534348u, "subsystem ids repeat the ids");
        vmm.Read16(VfioFlags.PciConfigRegionIndex, 0x04).Should().Be(0x0001, "command: I/O space");
        vmm.Read16(VfioFlags.PciConfigRegionIndex, 0x06).Should().Be(0x0200, "status: no capability list");
        vmm.Config32(0x08).Should().Be(0x07000210u, "class 07 (communication), subclass 00, prog-if 02 (16550), revision 0x10");
        vmm.Read8(VfioFlags.PciConfigRegionIndex, 0x3d).Should().Be(1, "INTA#");
        vmm.Config32(0x10).Should().Be(1u, "BAR0 is I/O");
        vmm.Config32(0x14).Should().Be(1u, "BAR1 is I/O on a dual-port card");
    }

    [Fact]
    public void Config_space_carries_the_vendor_bytes_and_the_identification_string()
    {
        using Vmm vmm = MttyFixture.StartDual();
        byte[] text = new byte[15];
        vmm.Device.Read(text, vmm.At(VfioFlags.PciConfigRegionIndex, 0x60)).Value.Should().Be(15);

        System.Text.Encoding.ASCII.GetString(text).Should().Be("PCI Serial/UART");
        vmm.Config32(0x40).Should().Be(0x80000023u);
        vmm.Read8(VfioFlags.PciConfigRegionIndex, 0x4c).Should().Be(0x23);
    }

    [Fact]
    public void Writing_all_ones_to_BAR0_reads_back_the_8_byte_io_size_mask_and_an_address_sticks()
    {
        using Vmm vmm = MttyFixture.StartDual();

        vmm.SizeBar(0).Should().Be(0xfffffff9u, "size 8, I/O bit kept");
        vmm.WriteConfig32(0x10, 0xc000);
        vmm.Config32(0x10).Should().Be(0xc001u, "the address with the I/O bit kept");
        vmm.SizeBar(1).Should().Be(0xfffffff9u);
    }

    [Fact]
    public void BAR1_of_a_single_port_card_and_BARs_2_to_4_are_forced_to_zero()
    {
        var (host, _, single, _) = MttyFixture.Load();
        using Vmm vmm = Vmm.Start(host, single, Vmm.Uuid(1));

        vmm.WriteConfig32(0x14, uint.MaxValue);
        vmm.WriteConfig32(0x18, uint.MaxValue);
        vmm.WriteConfig32(0x20, 0x1234);

        vmm.Config32(0x14).Should().Be(0u);
        vmm.Config32(0x18).Should().Be(0u);
        vmm.Config32(0x20).Should().Be(0u);
    }

    [Fact]
    public void Only_the_interrupt_line_of_the_remaining_header_is_writable()
    {
        using Vmm vmm = MttyFixture.StartDual();

        vmm.Write8(VfioFlags.PciConfigRegionIndex, 0x3c, 11);
        vmm.Write8(VfioFlags.PciConfigRegionIndex, 0x3d, 4);
        vmm.Write32(VfioFlags.PciConfigRegionIndex, 0x04, 0xffff);

        vmm.Read8(VfioFlags.PciConfigRegionIndex, 0x3c).Should().Be(11);
        vmm.Read8(VfioFlags.PciConfigRegionIndex, 0x3d).Should().Be(1, "the pin is hard-wired to INTA#");
        vmm.Read16(VfioFlags.PciConfigRegionIndex, 0x04).Should().Be(1, "command writes are ignored");
    }

    [Fact]
    public void Regions_sit_at_index_shifted_by_40_with_config_0xff_and_one_8_byte_bar_per_port()
    {
        var (host, _, single, dual) = MttyFixture.Load();
        using Vmm one = Vmm.Start(host, single, Vmm.Uuid(1));
        using Vmm two = Vmm.Start(host, dual, Vmm.Uuid(2));

        VfioRegionInfo config = one.Region(VfioFlags.PciConfigRegionIndex);
        (config.Flags, config.Size, config.Offset).Should().Be((VfioFlags.RegionRead | VfioFlags.RegionWrite, 0xffUL, 7UL << 40));
        one.Region(0).Size.Should().Be(8);
        one.Region(1).Size.Should().Be(0, "a single-port card has no second UART");
        two.Region(1).Size.Should().Be(8);
        two.Region(1).Offset.Should().Be(1UL << 40);
        two.Region(6).Size.Should().Be(0);
    }

    [Fact]
    public void GET_REGION_INFO_beyond_index_8_returns_EINVAL()
    {
        using Vmm vmm = MttyFixture.StartDual();

        vmm.Client.GetRegionInfo(9).Error.Should().Be(Errno.EINVAL);
    }

    [Fact]
    public void Accessing_past_config_space_or_the_ROM_or_BAR2_returns_EFAULT_as_mtty_read_does()
    {
        var (host, _, single, _) = MttyFixture.Load();
        using Vmm vmm = Vmm.Start(host, single, Vmm.Uuid(1));

        vmm.Device.Read(new byte[4], (7L << 40) + 0xfe).Error.Should().Be(Errno.EFAULT);
        vmm.Device.Read(new byte[1], 6L << 40).Error.Should().Be(Errno.EFAULT, "mdev_access: -1 for the ROM");
        vmm.Device.Write(new byte[1], 8L << 40).Error.Should().Be(Errno.EFAULT, "and for VGA");
        vmm.Device.Read(new byte[1], 2L << 40).Error.Should().Be(Errno.EFAULT, "BAR2: the kernel overruns s[]; the model refuses");
    }

    [Fact]
    public void Query_gfx_plane_on_a_serial_card_returns_ENOTTY()
    {
        using Vmm vmm = MttyFixture.StartDual();

        vmm.Client.QueryGfxPlane(VfioFlags.GfxPlaneTypeRegion).Error.Should().Be(Errno.ENOTTY);
    }
}
