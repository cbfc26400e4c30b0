using MdevCore.DriverModel;
using MdevCore.Pci;
using static MdevCore.Pci.PciRegisters;

namespace MdevCore.Tests.Pci;

/// <summary>The public config-space builder: identity, BARs and their sizing, the capability list, write masks.</summary>
public sealed class PciConfigSpaceBuilderTests
{
    private static readonly PciIds Ids = new(0x10de, 0x1eb8, 0x030200, 0x10de, 0x12a2, Revision: 0xa1);

    [Fact]
    public void Build_puts_the_ids_class_and_revision_where_the_header_has_them()
    {
        PciConfigSpace config = new PciConfigSpaceBuilder(Ids).Build();

        config.Size.Should().Be(256);
        config.IsExtended.Should().BeFalse();
        config.Load16(VendorId).Should().Be(0x10de);
        config.Load16(DeviceId).Should().Be(0x1eb8);
        config.Load32(RevisionId).Should().Be(0x030200a1u, "class 03 02 00 above revision a1");
        config.Load16(SubsystemVendorId).Should().Be(0x10de);
        config.Load16(SubsystemId).Should().Be(0x12a2);
        config.Load8(HeaderType).Should().Be(HeaderTypeNormal);
        (config.Load16(Status) & StatusCapabilityList).Should().Be(0, "no capabilities, no list");
        config.FindCapability(PciCapabilityIds.PciExpress).Should().Be(0);
    }

    [Fact]
    public void Writing_all_ones_to_a_BAR_reads_back_its_size_mask_with_the_type_bits()
    {
        PciConfigSpace config = new PciConfigSpaceBuilder(Ids)
            .SetBar(0, PciBar.Memory32(16 << 20))
            .SetBar(1, PciBar.Memory64(256 << 20, prefetchable: true))
            .SetBar(3, PciBar.Io(128))
            .Build();

        foreach (int bar in new[] { Bar0, Bar1, Bar2, Bar3 })
        {
            config.Write(bar, [0xff, 0xff, 0xff, 0xff]);
        }

        config.Load32(Bar0).Should().Be(0xff00_0000u, "16 MiB, 32-bit, not prefetchable");
        config.Load32(Bar1).Should().Be(0xf000_000cu, "256 MiB: the low half keeps 64-bit and prefetchable");
        config.Load32(Bar2).Should().Be(0xffff_ffffu, "the upper half of a 64-bit BAR below 4 GiB is all writable");
        config.Load32(Bar3).Should().Be(0xffff_ff81u, "128 ports, the I/O bit kept");
        config.Load32(Bar4).Should().Be(0u, "an undefined BAR is hard-wired to zero");
        config.Write(Bar4, [0xff, 0xff, 0xff, 0xff]);
        config.Load32(Bar4).Should().Be(0u);
    }

    [Fact]
    public void A_BAR_address_is_stored_aligned_and_a_misaligned_write_loses_the_low_bits()
    {
        PciConfigSpace config = new PciConfigSpaceBuilder(Ids).SetBar(0, PciBar.Memory32(4096, address: 0xfe00_0000)).Build();
        config.Load32(Bar0).Should().Be(0xfe00_0000u);

        config.Write(Bar0, [0x34, 0x12, 0x00, 0xd0]);

        config.Load32(Bar0).Should().Be(0xd000_1000u);
    }

    [Fact]
    public void Command_enable_bits_are_writable_only_for_the_spaces_the_BARs_use()
    {
        PciConfigSpace config = new PciConfigSpaceBuilder(Ids).SetBar(0, PciBar.Memory32(4096)).Build();

        config.Write(Command, [0xff, 0xff]);

        config.Load16(Command).Should().Be(CommandMemory | CommandMaster | CommandParity | CommandSerr | CommandInterruptDisable, "no I/O BAR, so no I/O decoding");
    }

    [Fact]
    public void SetWriteMask_zero_makes_a_register_read_only()
    {
        PciConfigSpace config = new PciConfigSpaceBuilder(Ids).SetCommand(CommandIo).SetWriteMask(Command, 2, 0).SetInterrupt(pin: 1, line: 5).Build();

        config.Write(Command, [0x06, 0x00]);
        config.Write(InterruptLine, [11, 3]);

        config.Load16(Command).Should().Be(CommandIo);
        config.Load8(InterruptLine).Should().Be(11, "the interrupt line is writable by default");
        config.Load8(InterruptPin).Should().Be(1, "the pin is not");
    }

    [Fact]
    public void Capabilities_are_chained_from_0x40_in_the_order_they_are_added()
    {
        var builder = new PciConfigSpaceBuilder(Ids)
            .AddPowerManagement()
            .AddMsi(vectors: 4)
            .AddPciExpress(new PciExpressLink(PciLinkSpeed.Speed16GT, 8))
            .AddVendorCapability([1, 2, 3, 4, 5]);
        PciConfigSpace config = builder.Build();

        builder.CapabilityOffsets.Should().Equal(0x40, 0x48, 0x58, 0x94);
        config.GetCapabilityOffsets().Should().Equal(0x40, 0x48, 0x58, 0x94);
        (config.Load16(Status) & StatusCapabilityList).Should().Be(StatusCapabilityList);
        config.Load8(CapabilityList).Should().Be(0x40);
        config.FindCapability(PciCapabilityIds.PowerManagement).Should().Be(0x40);
        config.FindCapability(PciCapabilityIds.Msi).Should().Be(0x48);
        config.FindCapability(PciCapabilityIds.PciExpress).Should().Be(0x58);
        config.FindCapability(PciCapabilityIds.Vendor).Should().Be(0x94);
        config.FindNextCapability(0x40, PciCapabilityIds.Vendor).Should().Be(0x94);
        config.FindNextCapability(0x94, PciCapabilityIds.Vendor).Should().Be(0, "the vendor capability ends the list");
        config.Load8(0x94 + 2).Should().Be(8, "a vendor capability's length byte counts its 3-byte header");
        config.Load8(0x94 + 3).Should().Be(1);
    }

    [Fact]
    public void A_PCI_Express_capability_carries_the_link_and_makes_the_space_extended()
    {
        PciConfigSpace config = new PciConfigSpaceBuilder(Ids)
            .AddPciExpress(new PciExpressLink(PciLinkSpeed.Speed16GT, 16), new PciExpressLink(PciLinkSpeed.Speed8GT, 8))
            .Build();
        int cap = config.FindCapability(PciCapabilityIds.PciExpress);

        config.Size.Should().Be(4096);
        config.IsExtended.Should().BeTrue();
        (config.Load16(cap + PciExpressRegisters.Flags) & PciExpressRegisters.FlagsVersionMask).Should().Be(2);
        ((config.Load16(cap + PciExpressRegisters.Flags) & PciExpressRegisters.FlagsTypeMask) >> 4).Should().Be((int)PciExpressDeviceType.Endpoint);
        uint linkCap = config.Load32(cap + PciExpressRegisters.LinkCapabilities);
        (linkCap & PciExpressRegisters.LinkSpeedMask).Should().Be((uint)PciLinkSpeed.Speed16GT);
        ((linkCap & PciExpressRegisters.LinkWidthMask) >> PciExpressRegisters.LinkWidthShift).Should().Be(16u);
        ushort linkStatus = config.Load16(cap + PciExpressRegisters.LinkStatus);
        (linkStatus & PciExpressRegisters.LinkSpeedMask).Should().Be((uint)PciLinkSpeed.Speed8GT);
        ((linkStatus & PciExpressRegisters.LinkWidthMask) >> PciExpressRegisters.LinkWidthShift).Should().Be(8u);
        config.Load32(cap + PciExpressRegisters.LinkCapabilities2).Should().Be(0b1_1110u, "2.5, 5, 8 and 16 GT/s supported");
        config.Load32(ConfigSpaceSize).Should().Be(0u, "no extended capabilities");
    }

    [Fact]
    public void A_root_complex_integrated_endpoint_has_no_link()
    {
        PciConfigSpace config = new PciConfigSpaceBuilder(Ids)
            .AddPciExpress(PciExpressLink.Default, type: PciExpressDeviceType.RootComplexIntegratedEndpoint)
            .Build();
        int cap = config.FindCapability(PciCapabilityIds.PciExpress);

        ((config.Load16(cap + PciExpressRegisters.Flags) & PciExpressRegisters.FlagsTypeMask) >> 4).Should().Be(9);
        config.Load32(cap + PciExpressRegisters.LinkCapabilities).Should().Be(0u);
    }

    [Fact]
    public void MSI_control_shows_the_vector_count_and_only_its_enable_fields_are_writable()
    {
        PciConfigSpace config = new PciConfigSpaceBuilder(Ids).AddMsi(vectors: 8, is64Bit: true, perVectorMasking: true).Build();
        int msi = config.FindCapability(PciCapabilityIds.Msi);

        config.Load16(msi + 2).Should().Be(0x0186, "per-vector masking, 64-bit, 8 vectors (log2 = 3)");
        config.Write(msi + 2, [0xff, 0xff]);
        config.Write(msi + 4, [0xff, 0xff, 0xff, 0xff]);
        config.Write(msi + 0x10, [0xff, 0xff, 0xff, 0xff]);

        config.Load16(msi + 2).Should().Be(0x01f7, "enable and multiple message enable took the write");
        config.Load32(msi + 4).Should().Be(0xffff_fffcu, "the message address is dword aligned");
        config.Load32(msi + 0x10).Should().Be(0xffu, "one mask bit per vector");
    }

    [Fact]
    public void The_power_management_state_is_writable_and_its_capabilities_are_not()
    {
        PciConfigSpace config = new PciConfigSpaceBuilder(Ids).AddPowerManagement().Build();
        int pm = config.FindCapability(PciCapabilityIds.PowerManagement);

        config.Write(pm + 2, [0, 0, 0xff, 0xff]);

        config.Load16(pm + 2).Should().Be(0x0003, "version 3");
        config.Load16(pm + 4).Should().Be(0x000b, "D3hot taken, No_Soft_Reset kept");
    }

    [Fact]
    public void Build_gives_independent_spaces()
    {
        var builder = new PciConfigSpaceBuilder(Ids);
        PciConfigSpace first = builder.Build();
        PciConfigSpace second = builder.Build();

        first.Write(InterruptLine, [9]);

        second.Load8(InterruptLine).Should().Be(0);
    }

    [Fact]
    public void Invalid_BARs_and_overlapping_slots_are_programmer_errors()
    {
        var builder = new PciConfigSpaceBuilder(Ids).SetBar(0, PciBar.Memory64(4096));

        FluentActions.Invoking(() => builder.SetBar(1, PciBar.Io(8))).Should().Throw<ArgumentException>("BAR1 is the upper half of BAR0");
        FluentActions.Invoking(() => builder.SetBar(2, PciBar.Memory32(3000))).Should().Throw<ArgumentException>("not a power of two");
        FluentActions.Invoking(() => builder.SetBar(2, PciBar.Io(512))).Should().Throw<ArgumentException>("I/O BARs are at most 256 bytes");
        FluentActions.Invoking(() => builder.SetBar(5, PciBar.Memory64(4096))).Should().Throw<ArgumentOutOfRangeException>("a 64-bit BAR needs a second slot");
        FluentActions.Invoking(() => builder.SetBar(2, PciBar.Memory32(4096, address: 0x1800))).Should().Throw<ArgumentException>("the address is not aligned to the size");
    }

    [Fact]
    public void Bytes_above_0x100_need_a_PCI_Express_capability()
    {
        var builder = new PciConfigSpaceBuilder(Ids).Set32(0x100, 0x0001_0001);

        FluentActions.Invoking(builder.Build).Should().Throw<InvalidOperationException>();
        builder.AddPciExpress(PciExpressLink.Default).Build().Load32(0x100).Should().Be(0x0001_0001u);
    }

    [Fact]
    public void Capabilities_that_do_not_fit_below_0x100_are_refused()
    {
        var builder = new PciConfigSpaceBuilder(Ids);
        for (int i = 0; i < 12; i++)
        {
            _ = builder.AddVendorCapability(new byte[13]);
        }

        FluentActions.Invoking(() => builder.AddVendorCapability(new byte[13])).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Accesses_outside_the_space_are_programmer_errors()
    {
        PciConfigSpace config = new PciConfigSpaceBuilder(Ids).Build();

        FluentActions.Invoking(() => config.Load32(254)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => config.Read(200, new byte[57])).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => config.Write(-1, [0])).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void A_looping_capability_list_ends_after_48_entries()
    {
        PciConfigSpace config = new PciConfigSpaceBuilder(Ids).AddPowerManagement().Build();
        config.Store8(0x41, 0x40); // points at itself

        config.GetCapabilityOffsets().Should().HaveCount(48);
        config.FindCapability(PciCapabilityIds.Msi).Should().Be(0);
    }

    [Theory]
    [InlineData(PciLinkSpeed.Speed2_5GT, "2.5 GT/s PCIe")]
    [InlineData(PciLinkSpeed.Speed5GT, "5.0 GT/s PCIe")]
    [InlineData(PciLinkSpeed.Speed8GT, "8.0 GT/s PCIe")]
    [InlineData(PciLinkSpeed.Speed16GT, "16.0 GT/s PCIe")]
    [InlineData(PciLinkSpeed.Speed32GT, "32.0 GT/s PCIe")]
    [InlineData(PciLinkSpeed.Speed64GT, "64.0 GT/s PCIe")]
    [InlineData(PciLinkSpeed.Unknown, "Unknown")]
    public void FormatSpeed_prints_what_the_kernel_prints(PciLinkSpeed speed, string expected) =>
        PciExpressLink.FormatSpeed(speed).Should().Be(expected);
}
