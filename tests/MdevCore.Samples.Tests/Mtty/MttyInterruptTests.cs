using System.Buffers.Binary;
using MdevCore.Samples.Tests.Support;
using MdevCore.Vfio;
using static MdevCore.Vfio.VfioFlags;

namespace MdevCore.Samples.Tests.Mtty;

/// <summary>kernel-mdev.md §10.1 (IRQs) and §8.5: INTx and MSI of mtty, and every SET_IRQS rule of the sample.</summary>
public sealed class MttyInterruptTests
{
    private const uint Trigger = IrqSetActionTrigger;
    private const uint None = IrqSetDataNone;

    private static (Vmm Vmm, EventTrigger Irq) StartWithIntx()
    {
        Vmm vmm = MttyFixture.StartDual();
        var irq = new EventTrigger();
        vmm.WireInterrupt(PciIntxIrqIndex, irq).Should().Be(Errno.None);
        vmm.SetReg(0, Uart.Fcr, 0x07); // trigger level 1 (it is 0 until the first FCR write)
        vmm.SetReg(0, Uart.Ier, 0x01); // received-data interrupt
        return (vmm, irq);
    }

    private static byte[] Fd(int fd)
    {
        byte[] b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, fd);
        return b;
    }

    [Fact]
    public void GET_IRQ_INFO_reports_a_maskable_automasked_INTx_and_a_noresize_MSI_and_EINVAL_for_the_rest()
    {
        using Vmm vmm = MttyFixture.StartDual();

        vmm.Client.GetIrqInfo(PciIntxIrqIndex).Value.Should().Be(new VfioIrqInfo(0, IrqEventfd | IrqMaskable | IrqAutomasked, 1));
        vmm.Client.GetIrqInfo(PciMsiIrqIndex).Value.Should().Be(new VfioIrqInfo(1, IrqEventfd | IrqNoResize, 1));
        vmm.Client.GetIrqInfo(2).Error.Should().Be(Errno.EINVAL);
        vmm.Client.GetIrqInfo(5).Error.Should().Be(Errno.EINVAL);
    }

    [Fact]
    public async Task A_received_byte_raises_INTx_on_the_eventfd_the_vmm_awaits()
    {
        var (vmm, irq) = StartWithIntx();
        using (vmm)
        {
            Task fired = irq.WaitAsync();
            fired.IsCompleted.Should().BeFalse();

            vmm.SetReg(0, Uart.Data, 0x55);

            await fired.WaitAsync(TimeSpan.FromSeconds(10));
            irq.TryRead(out long count).Should().BeTrue();
            count.Should().Be(1);
            vmm.Reg(0, Uart.Iir).Should().Be(0xc4, "the guest sees the received-data cause");
            vmm.Reg(0, Uart.Data).Should().Be(0x55);
        }
    }

    [Fact]
    public void INTx_is_masked_after_each_signal_until_the_vmm_unmasks_it()
    {
        var (vmm, irq) = StartWithIntx();
        using (vmm)
        {
            vmm.SetReg(0, Uart.Data, 1);
            _ = vmm.Reg(0, Uart.Data);
            vmm.SetReg(0, Uart.Data, 2);
            irq.TotalSignals.Should().Be(1, "the second byte found INTx auto-masked");

            vmm.Client.SetIrqs(None | IrqSetActionUnmask, PciIntxIrqIndex, 0, 1, []).Should().Be(Errno.None);
            _ = vmm.Reg(0, Uart.Data);
            vmm.SetReg(0, Uart.Data, 3);

            irq.TotalSignals.Should().Be(2);
        }
    }

    [Fact]
    public void MASK_with_DATA_BOOL_true_masks_and_false_leaves_INTx_alone()
    {
        var (vmm, irq) = StartWithIntx();
        using (vmm)
        {
            vmm.Client.SetIrqs(IrqSetDataBool | IrqSetActionMask, PciIntxIrqIndex, 0, 1, [0]).Should().Be(Errno.None);
            vmm.Client.SetIrqs(None | Trigger, PciIntxIrqIndex, 0, 1, []).Should().Be(Errno.None);
            irq.TotalSignals.Should().Be(1, "a false mask did nothing, so the loop test fired");

            vmm.Client.SetIrqs(None | IrqSetActionUnmask, PciIntxIrqIndex, 0, 1, []).Should().Be(Errno.None);
            vmm.Client.SetIrqs(IrqSetDataBool | IrqSetActionMask, PciIntxIrqIndex, 0, 1, [1]).Should().Be(Errno.None);
            vmm.Client.SetIrqs(None | Trigger, PciIntxIrqIndex, 0, 1, []).Should().Be(Errno.None);
            irq.TotalSignals.Should().Be(1, "masked");
        }
    }

    [Fact]
    public void Loop_tests_with_DATA_NONE_and_DATA_BOOL_fire_the_interrupt_from_user_space()
    {
        var (vmm, irq) = StartWithIntx();
        using (vmm)
        {
            vmm.Client.SetIrqs(IrqSetDataBool | Trigger, PciIntxIrqIndex, 0, 1, [0]).Should().Be(Errno.None);
            irq.TotalSignals.Should().Be(0, "BOOL false does not fire");
            vmm.Client.SetIrqs(IrqSetDataBool | Trigger, PciIntxIrqIndex, 0, 1, [1]).Should().Be(Errno.None);
            irq.TotalSignals.Should().Be(1);
        }
    }

    [Fact]
    public void MSI_signals_every_time_without_masking()
    {
        using Vmm vmm = MttyFixture.StartDual();
        var msi = new EventTrigger();
        vmm.WireInterrupt(PciMsiIrqIndex, msi).Should().Be(Errno.None);
        vmm.SetReg(0, Uart.Fcr, 0x07);
        vmm.SetReg(0, Uart.Ier, 0x01);

        vmm.SetReg(0, Uart.Data, 1);
        _ = vmm.Reg(0, Uart.Data);
        vmm.SetReg(0, Uart.Data, 2);

        msi.TotalSignals.Should().Be(2);
    }

    [Fact]
    public void Enabling_THRI_with_an_empty_fifo_and_draining_it_raise_the_interrupt()
    {
        var (vmm, irq) = StartWithIntx();
        using (vmm)
        {
            vmm.SetReg(0, Uart.Ier, 0x02);
            irq.TotalSignals.Should().Be(1);
            vmm.Client.SetIrqs(None | IrqSetActionUnmask, PciIntxIrqIndex, 0, 1, []).Should().Be(Errno.None);
            vmm.SetReg(0, Uart.Data, 7);
            _ = vmm.Reg(0, Uart.Data);
            irq.TotalSignals.Should().Be(2, "the FIFO ran empty with THRI enabled");
        }
    }

    [Fact]
    public void Overrun_raises_the_interrupt_when_line_status_interrupts_are_enabled()
    {
        using Vmm vmm = MttyFixture.StartDual();
        var msi = new EventTrigger();
        vmm.WireInterrupt(PciMsiIrqIndex, msi).Should().Be(Errno.None);
        for (int i = 0; i < 16; i++)
        {
            vmm.SetReg(0, Uart.Data, 0);
        }

        vmm.SetReg(0, Uart.Ier, 0x04);
        vmm.SetReg(0, Uart.Data, 0);

        msi.TotalSignals.Should().Be(1);
    }

    [Fact]
    public void MCR_OUT2_and_RTS_DTR_raise_modem_status_interrupts()
    {
        using Vmm vmm = MttyFixture.StartDual();
        var msi = new EventTrigger();
        vmm.WireInterrupt(PciMsiIrqIndex, msi).Should().Be(Errno.None);
        vmm.SetReg(0, Uart.Ier, 0x08);

        vmm.SetReg(0, Uart.Mcr, 0x08);
        msi.TotalSignals.Should().Be(1, "OUT2");
        vmm.SetReg(0, Uart.Mcr, 0x0b);
        msi.TotalSignals.Should().Be(3, "OUT2 and RTS/DTR each raise one");
    }

    [Fact]
    public void Switching_from_INTx_to_MSI_without_disabling_INTx_returns_EINVAL()
    {
        var (vmm, _) = StartWithIntx();
        using (vmm)
        {
            vmm.WireInterrupt(PciMsiIrqIndex, new EventTrigger()).Should().Be(Errno.EINVAL);

            vmm.Client.SetIrqs(None | Trigger, PciIntxIrqIndex, 0, 0, []).Should().Be(Errno.None, "count 0 disables INTx");
            vmm.WireInterrupt(PciMsiIrqIndex, new EventTrigger()).Should().Be(Errno.None);
        }
    }

    [Fact]
    public void An_eventfd_of_minus_one_detaches_the_trigger()
    {
        var (vmm, irq) = StartWithIntx();
        using (vmm)
        {
            vmm.Client.SetIrqs(IrqSetDataEventfd | Trigger, PciIntxIrqIndex, 0, 1, Fd(-1)).Should().Be(Errno.None);
            vmm.SetReg(0, Uart.Data, 1);
            irq.TotalSignals.Should().Be(0);
            vmm.Client.SetIrqs(None | Trigger, PciIntxIrqIndex, 0, 1, []).Should().Be(Errno.EINVAL, "no IRQ index is active any more");
        }
    }

    [Fact]
    public void An_eventfd_number_that_is_not_open_returns_EBADF()
    {
        using Vmm vmm = MttyFixture.StartDual();
        vmm.Client.SetIrqs(IrqSetDataEventfd | Trigger, PciIntxIrqIndex, 0, 1, Fd(4242)).Should().Be(Errno.EBADF);
    }

    [Fact]
    public void Mask_and_unmask_need_an_active_INTx_with_start_0_and_count_1_else_EINVAL()
    {
        using Vmm vmm = MttyFixture.StartDual();
        vmm.Client.SetIrqs(None | IrqSetActionMask, PciIntxIrqIndex, 0, 1, []).Should().Be(Errno.EINVAL, "INTx is not active");
        vmm.WireInterrupt(PciIntxIrqIndex, new EventTrigger()).Should().Be(Errno.None);
        vmm.Client.SetIrqs(None | IrqSetActionMask, PciIntxIrqIndex, 0, 0, []).Should().Be(Errno.EINVAL, "count 0");
    }

    [Fact]
    public void Mask_through_an_eventfd_returns_ENOTTY()
    {
        var (vmm, _) = StartWithIntx();
        using (vmm)
        {
            vmm.Client.SetIrqs(IrqSetDataEventfd | IrqSetActionUnmask, PciIntxIrqIndex, 0, 1, Fd(3)).Should().Be(Errno.ENOTTY);
        }
    }

    [Fact]
    public void MSI_mask_and_unmask_and_the_MSIX_ERR_REQ_indexes_return_ENOTTY()
    {
        using Vmm vmm = MttyFixture.StartDual();
        vmm.Client.SetIrqs(None | IrqSetActionMask, PciMsiIrqIndex, 0, 1, []).Should().Be(Errno.ENOTTY);
        vmm.Client.SetIrqs(None | IrqSetActionUnmask, PciMsiIrqIndex, 0, 1, []).Should().Be(Errno.ENOTTY);
        vmm.Client.SetIrqs(None | Trigger, 2, 0, 1, []).Should().Be(Errno.ENOTTY);
        vmm.Client.SetIrqs(None | Trigger, 3, 0, 1, []).Should().Be(Errno.ENOTTY);
        vmm.Client.SetIrqs(None | Trigger, 4, 0, 1, []).Should().Be(Errno.ENOTTY);
    }

    [Theory]
    [InlineData(None | Trigger, 5u, 0u, 1u, "index beyond the five vfio-pci IRQ indexes")]
    [InlineData(None | Trigger, 0u, 5u, 1u, "start beyond the cached num_irqs")]
    [InlineData(None | Trigger, 0u, 3u, 3u, "start + count beyond num_irqs")]
    [InlineData(None | IrqSetDataBool | Trigger, 0u, 0u, 1u, "two data types")]
    [InlineData(Trigger, 0u, 0u, 1u, "no data type")]
    [InlineData((1u << 6) | None | Trigger, 0u, 0u, 1u, "an unknown flag")]
    public void Bad_SET_IRQS_headers_return_EINVAL(uint flags, uint index, uint start, uint count, string why)
    {
        using Vmm vmm = MttyFixture.StartDual();
        vmm.Client.SetIrqs(flags, index, start, count, []).Should().Be(Errno.EINVAL, why);
    }

    [Fact]
    public void A_SET_IRQS_payload_shorter_than_argsz_claims_returns_EINVAL()
    {
        using Vmm vmm = MttyFixture.StartDual();
        vmm.Client.SetIrqs(IrqSetDataEventfd | Trigger, PciIntxIrqIndex, 0, 1, [1, 0]).Should().Be(Errno.EINVAL);
    }

    [Fact]
    public void SET_IRQS_and_GET_IRQ_INFO_before_GET_INFO_return_EINVAL_as_the_sample_caches_num_irqs_there()
    {
        var (host, _, _, dual) = MttyFixture.Load();
        host.Sysfs.Write(dual.SysfsPath + "/create", Vmm.Uuid(1)).Succeeded.Should().BeTrue();
        using VfioGroup group = host.Vfio.OpenGroup(0).Value;
        VfioContainer container = VfioHost.CreateContainer();
        _ = group.SetContainer(container);
        _ = container.SetIommu(VfioIommuType.Type1v2);
        using var device = group.GetDevice(Vmm.Uuid(1)).Value;
        var client = new VfioDeviceClient(device);

        client.GetIrqInfo(PciIntxIrqIndex).Error.Should().Be(Errno.EINVAL);
        client.SetIrqs(None | Trigger, PciIntxIrqIndex, 0, 0, []).Should().Be(Errno.EINVAL);
        _ = client.GetInfo().Value;
        client.GetIrqInfo(PciIntxIrqIndex).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Several_action_bits_at_once_do_nothing_and_succeed_like_the_sample()
    {
        var (vmm, irq) = StartWithIntx();
        using (vmm)
        {
            vmm.Client.SetIrqs(None | IrqSetActionMask | Trigger, PciIntxIrqIndex, 0, 1, []).Should().Be(Errno.None);
            irq.TotalSignals.Should().Be(0);
        }
    }

    [Fact]
    public void Closing_the_device_drops_the_interrupt_triggers()
    {
        var (vmm, irq) = StartWithIntx();
        using (vmm)
        {
            vmm.Reopen(Vmm.Uuid(1));
            vmm.SetReg(0, Uart.Data, 1);

            irq.TotalSignals.Should().Be(0);
            vmm.Client.SetIrqs(None | Trigger, PciIntxIrqIndex, 0, 1, []).Should().Be(Errno.EINVAL, "no index is active after close");
        }
    }
}
