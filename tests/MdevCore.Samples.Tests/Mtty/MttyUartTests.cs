using MdevCore.Samples.Tests.Support;

namespace MdevCore.Samples.Tests.Mtty;

/// <summary>kernel-mdev.md §10.1: the 16550 in loopback, programmed the way a guest serial driver does it.</summary>
public sealed class MttyUartTests
{
    private static void Program(Vmm vmm, int port)
    {
        vmm.SetReg(port, Uart.Lcr, 0x80);        // DLAB
        vmm.SetReg(port, Uart.Data, 0x01);       // divisor low: 115200 baud
        vmm.SetReg(port, Uart.Ier, 0x00);        // divisor high
        vmm.SetReg(port, Uart.Lcr, 0x03);        // 8N1, DLAB off
        vmm.SetReg(port, Uart.Fcr, 0x07);        // enable and clear the FIFOs
        vmm.SetReg(port, Uart.Mcr, 0x0b);        // DTR, RTS, OUT2
    }

    [Fact]
    public void Bytes_sent_to_the_transmit_register_come_back_from_the_receive_register_in_order()
    {
        using Vmm vmm = MttyFixture.StartDual();
        Program(vmm, 0);

        foreach (byte b in "hello"u8.ToArray())
        {
            vmm.SetReg(0, Uart.Data, b);
        }

        var received = new List<byte>();
        while ((vmm.Reg(0, Uart.Lsr) & 0x01) != 0)
        {
            received.Add(vmm.Reg(0, Uart.Data));
        }

        System.Text.Encoding.ASCII.GetString([.. received]).Should().Be("hello");
        vmm.Reg(0, Uart.Lsr).Should().Be(0x60, "empty: THRE and TEMT, no data ready");
    }

    [Fact]
    public void The_divisor_latch_is_read_back_while_DLAB_is_set_and_IER_otherwise()
    {
        using Vmm vmm = MttyFixture.StartDual();
        vmm.SetReg(0, Uart.Lcr, 0x80);
        vmm.SetReg(0, Uart.Data, 0x0c);
        vmm.SetReg(0, Uart.Ier, 0x00);

        vmm.Reg(0, Uart.Data).Should().Be(0x0c);
        vmm.Reg(0, Uart.Ier).Should().Be(0x00);
        vmm.SetReg(0, Uart.Lcr, 0x03);
        vmm.SetReg(0, Uart.Ier, 0xff);
        vmm.Reg(0, Uart.Ier).Should().Be(0x0f, "only the four defined enable bits read back");
        vmm.Reg(0, Uart.Lcr).Should().Be(0x03);
    }

    [Fact]
    public void With_the_fifo_disabled_a_second_byte_overruns()
    {
        using Vmm vmm = MttyFixture.StartDual();
        vmm.SetReg(0, Uart.Fcr, 0x00);
        vmm.SetReg(0, Uart.Data, 1);
        vmm.SetReg(0, Uart.Data, 2);

        (vmm.Reg(0, Uart.Lsr) & 0x02).Should().Be(0x02);
        vmm.Reg(0, Uart.Data).Should().Be(1);
    }

    [Fact]
    public void IIR_ORs_the_pending_cause_codes_with_the_fifo_bits_set_as_handle_bar_read_does()
    {
        using Vmm vmm = MttyFixture.StartDual();
        Program(vmm, 0);
        vmm.Reg(0, Uart.Iir).Should().Be(0xc1, "nothing enabled: no interrupt pending");

        vmm.SetReg(0, Uart.Ier, 0x08);
        vmm.Reg(0, Uart.Iir).Should().Be(0xc1, "modem status (RTS/DTR set) has code 0, which the sample then reports as NO_INT");
        vmm.SetReg(0, Uart.Ier, 0x0a);
        vmm.Reg(0, Uart.Iir).Should().Be(0xc2, "THR empty (modem status adds nothing)");
        vmm.SetReg(0, Uart.Data, 0x41);
        vmm.SetReg(0, Uart.Ier, 0x0b);
        vmm.Reg(0, Uart.Iir).Should().Be(0xc4, "received data; THR empty is not pending as head != tail");
        for (int i = 0; i < 16; i++)
        {
            vmm.SetReg(0, Uart.Data, 0x42);
        }

        vmm.SetReg(0, Uart.Ier, 0x0f);
        vmm.Reg(0, Uart.Iir).Should().Be(0xc6, "overrun (6) | received data (4) | THR empty (2, the full ring looks empty)");
    }

    [Fact]
    public void MSR_reports_DSR_and_DCD_and_CTS_unless_auto_flow_control_sees_a_full_fifo()
    {
        using Vmm vmm = MttyFixture.StartDual();
        Program(vmm, 0);
        vmm.Reg(0, Uart.Msr).Should().Be(0xb3);

        vmm.SetReg(0, Uart.Mcr, 0x2b); // auto flow control on
        for (int i = 0; i < 16; i++)
        {
            vmm.SetReg(0, Uart.Data, 0);
        }

        vmm.Reg(0, Uart.Msr).Should().Be(0xa2, "CTS and DCTS drop while the FIFO is full");
    }

    [Fact]
    public void FCR_clears_the_fifo_and_the_scratch_register_keeps_its_value()
    {
        using Vmm vmm = MttyFixture.StartDual();
        Program(vmm, 0);
        vmm.SetReg(0, Uart.Data, 9);
        vmm.SetReg(0, Uart.Scr, 0x5a);

        vmm.SetReg(0, Uart.Fcr, 0x03);

        (vmm.Reg(0, Uart.Lsr) & 0x01).Should().Be(0);
        vmm.Reg(0, Uart.Scr).Should().Be(0x5a);
    }

    [Fact]
    public void The_two_ports_of_a_dual_port_card_are_independent()
    {
        using Vmm vmm = MttyFixture.StartDual();
        Program(vmm, 0);
        Program(vmm, 1);
        vmm.SetReg(0, Uart.Data, (byte)'a');
        vmm.SetReg(1, Uart.Data, (byte)'b');
        vmm.SetReg(1, Uart.Data, (byte)'c');

        vmm.Reg(0, Uart.Data).Should().Be((byte)'a');
        (vmm.Reg(0, Uart.Lsr) & 0x01).Should().Be(0);
        vmm.Reg(1, Uart.Data).Should().Be((byte)'b');
        vmm.Reg(1, Uart.Data).Should().Be((byte)'c');
    }

    [Fact]
    public void A_dword_access_to_a_uart_register_uses_its_low_byte_and_reads_zero_above_it()
    {
        using Vmm vmm = MttyFixture.StartDual();
        vmm.Write32(0, Uart.Scr - 3, 0x11223344); // offset 4 is MCR
        vmm.Read32(0, 4).Should().Be(0x44u);
    }

    [Fact]
    public void Reset_does_not_reset_the_uart_registers()
    {
        using Vmm vmm = MttyFixture.StartDual();
        Program(vmm, 0);
        vmm.SetReg(0, Uart.Scr, 0x77);
        vmm.SetReg(0, Uart.Data, 0x31);

        vmm.Client.Reset().Should().Be(Errno.None);

        vmm.Reg(0, Uart.Scr).Should().Be(0x77);
        vmm.Reg(0, Uart.Data).Should().Be(0x31);
    }
}
