using MdevCore.Samples.Tests.Support;
using MdevCore.Vfio;

namespace MdevCore.Samples.Tests.Mtty;

/// <summary>
/// What a guest can observe of samples/vfio-mdev/mtty.c beyond a textbook 16550: the ring arithmetic of
/// <c>handle_bar_write</c> / <c>handle_bar_read</c> (head/tail modulo 16, emptiness by head == tail), the LSR
/// after more bytes than the FIFO holds, and BAR1 of a single-port card (<c>mtty_ioctl_get_region_info</c>,
/// <c>mdev_access</c>).
/// </summary>
public sealed class MttyQuirkTests
{
    private const byte Thre = 0x20;
    private const byte Temt = 0x40;
    private const byte Dr = 0x01;
    private const byte Oe = 0x02;

    private static Vmm StartWithFifo()
    {
        Vmm vmm = MttyFixture.StartDual();
        vmm.SetReg(0, Uart.Fcr, 0x07); // enable and clear the FIFO, trigger level 1
        return vmm;
    }

    private static void Send(Vmm vmm, int port, int bytes, int first = 0)
    {
        for (int i = 0; i < bytes; i++)
        {
            vmm.SetReg(port, Uart.Data, (byte)(first + i));
        }
    }

    [Fact]
    public void Fifteen_bytes_are_received_in_order_and_leave_the_ring_empty_handle_bar_read()
    {
        using Vmm vmm = StartWithFifo();
        Send(vmm, 0, 15, first: 0x30);

        vmm.Reg(0, Uart.Lsr).Should().Be(Dr);
        for (int i = 0; i < 15; i++)
        {
            vmm.Reg(0, Uart.Data).Should().Be((byte)(0x30 + i));
        }

        vmm.Reg(0, Uart.Lsr).Should().Be(Thre | Temt);
    }

    [Fact]
    public void Sixteen_bytes_wrap_head_onto_tail_so_the_full_ring_reads_as_empty_handle_bar_write()
    {
        using Vmm vmm = StartWithFifo();
        Send(vmm, 0, 16, first: 0x41);

        vmm.Reg(0, Uart.Lsr).Should().Be(Thre | Temt, "head == tail after 16 stores: no DR, transmitter empty");
        vmm.Reg(0, Uart.Data).Should().Be(0, "RX finds head == tail and returns no byte (the kernel leaves it uninitialised)");
        vmm.Reg(0, Uart.Data).Should().Be(0);
        vmm.SetReg(0, Uart.Mcr, 0x20);
        vmm.Reg(0, Uart.Msr).Should().Be(0xa2, "auto flow control still sees count 16: the reads did not drain anything");
    }

    [Fact]
    public void LSR_after_seventeen_transmitted_bytes_reads_overrun_with_THRE_and_TEMT_and_no_data_ready()
    {
        using Vmm vmm = StartWithFifo();
        Send(vmm, 0, 17);

        vmm.Reg(0, Uart.Lsr).Should().Be(Oe | Thre | Temt, "0x62: the 17th byte overran a ring that looks empty");
        vmm.Reg(0, Uart.Lsr).Should().Be(Oe | Thre | Temt, "reading LSR does not clear OE");
    }

    [Fact]
    public void The_wrapped_ring_stays_stuck_until_FCR_clears_it_and_overrun_until_the_next_accepted_byte()
    {
        using Vmm vmm = StartWithFifo();
        Send(vmm, 0, 20);

        vmm.SetReg(0, Uart.Fcr, 0x02); // clear the receiver, FIFO disabled (size 1)
        vmm.Reg(0, Uart.Lsr).Should().Be(Oe | Thre | Temt, "FCR resets the ring, not the overrun flag");
        vmm.SetReg(0, Uart.Data, 0x7a);
        vmm.Reg(0, Uart.Lsr).Should().Be(Dr, "an accepted byte clears overrun");
        vmm.Reg(0, Uart.Data).Should().Be(0x7a);
    }

    [Fact]
    public void A_ring_of_sixteen_makes_IIR_report_received_data_and_THR_empty_together_as_0xc6()
    {
        using Vmm vmm = StartWithFifo();
        Send(vmm, 0, 16);
        vmm.SetReg(0, Uart.Ier, 0x03);

        vmm.Reg(0, Uart.Iir).Should().Be(0xc6, "RDI (4) | THRI (2) ORed: reads like a line-status cause, with no overrun");
    }

    [Fact]
    public void Before_the_first_FCR_write_the_trigger_level_is_0_so_IIR_reports_received_data_on_an_empty_ring()
    {
        using Vmm vmm = MttyFixture.StartDual();
        var msi = new EventTrigger();
        vmm.WireInterrupt(VfioFlags.PciMsiIrqIndex, msi).Should().Be(Errno.None);
        vmm.SetReg(0, Uart.Ier, 0x01);

        vmm.Reg(0, Uart.Iir).Should().Be(0xc4, "count 0 >= trigger level 0");
        vmm.SetReg(0, Uart.Data, 0x11);
        msi.TotalSignals.Should().Be(0, "handle_bar_write raises RDI only when count == trigger level, never 0 after a store");
    }

    [Fact]
    public void Divisor_bytes_are_ORed_into_the_latch_and_an_LCR_write_with_DLAB_clears_it()
    {
        using Vmm vmm = MttyFixture.StartDual();
        vmm.SetReg(0, Uart.Lcr, 0x80);
        vmm.SetReg(0, Uart.Data, 0x0c);
        vmm.SetReg(0, Uart.Data, 0x30);
        vmm.Reg(0, Uart.Data).Should().Be(0x3c);

        vmm.SetReg(0, Uart.Lcr, 0x83);
        vmm.Reg(0, Uart.Data).Should().Be(0, "DLAB written again: the latch starts from zero");
    }

    [Fact]
    public void BAR1_of_a_single_port_card_reports_size_0_yet_reads_and_writes_reach_a_second_uart_mdev_access()
    {
        var (host, _, single, _) = MttyFixture.Load();
        using Vmm vmm = Vmm.Start(host, single, Vmm.Uuid(1));

        VfioRegionInfo bar1 = vmm.Client.GetRegionInfo(1).Value;
        (bar1.Size, bar1.Offset, bar1.Flags).Should().Be((0UL, 1UL << 40, VfioFlags.RegionRead | VfioFlags.RegionWrite));
        vmm.SetReg(1, Uart.Fcr, 0x07);
        vmm.SetReg(1, Uart.Scr, 0x5a);
        vmm.SetReg(1, Uart.Data, 0x42);

        vmm.Reg(1, Uart.Scr).Should().Be(0x5a);
        vmm.Reg(1, Uart.Lsr).Should().Be(Dr);
        vmm.Reg(1, Uart.Data).Should().Be(0x42);
        vmm.Reg(0, Uart.Lsr).Should().Be(Thre | Temt, "port 0 is untouched");
    }

    [Fact]
    public void A_BAR_access_past_the_eight_registers_succeeds_and_the_offset_is_cut_to_16_bits()
    {
        using Vmm vmm = StartWithFifo();

        vmm.Read8(0, 8).Should().Be(0, "offset 8 is no register: nothing happens and the access succeeds");
        vmm.Write8(0, 0x1_0007, 0x66);          // 16-bit offset 7: the scratch register
        vmm.Reg(0, Uart.Scr).Should().Be(0x66);
    }
}
