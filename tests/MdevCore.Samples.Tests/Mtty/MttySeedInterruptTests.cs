using System.Buffers.Binary;
using MdevCore.Samples.Tests.Support;
using MdevCore.Vfio;
using static MdevCore.Vfio.VfioFlags;

namespace MdevCore.Samples.Tests.Mtty;

/// <summary>
/// mtty's IRQ side under the seed profile: v4.10's <c>mtty_get_irq_info</c> and <c>mtty_set_irqs</c>, as they
/// stayed until the 6.7 rework ("vfio/mtty: Overhaul mtty interrupt handling"). The modern behaviour is pinned
/// in <see cref="MttyInterruptTests"/>; the pairs below pin both sides of each difference.
/// </summary>
public sealed class MttySeedInterruptTests
{
    private const uint Trigger = IrqSetActionTrigger;
    private const uint ReqIndex = 4;

    private static Vmm Start(KernelProfile profile)
    {
        var (host, _, _, dual) = MttyFixture.Load(profile: profile);
        if (profile == KernelProfile.Seed)
        {
            _ = host.Mdev.RegisterDriver(new VfioMdevDriver()).Value;
        }

        Vmm vmm = Vmm.Start(host, dual, Vmm.Uuid(1));
        vmm.SetReg(0, Uart.Fcr, 0x07);
        return vmm;
    }

    private static byte[] Fd(int fd)
    {
        byte[] b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, fd);
        return b;
    }

    [Fact]
    public void Seed_GET_IRQ_INFO_also_reports_the_REQ_index_mtty_get_irq_info_before_6_7()
    {
        using Vmm seed = Start(KernelProfile.Seed);
        using Vmm modern = Start(KernelProfile.Modern);

        seed.Client.GetIrqInfo(ReqIndex).Value.Should().Be(new VfioIrqInfo(ReqIndex, IrqEventfd | IrqNoResize, 1));
        modern.Client.GetIrqInfo(ReqIndex).Error.Should().Be(Errno.EINVAL);
        foreach (Vmm vmm in new[] { seed, modern })
        {
            vmm.Client.GetIrqInfo(PciIntxIrqIndex).Value.Should().Be(new VfioIrqInfo(0, IrqEventfd | IrqMaskable | IrqAutomasked, 1));
            vmm.Client.GetIrqInfo(PciMsiIrqIndex).Value.Should().Be(new VfioIrqInfo(1, IrqEventfd | IrqNoResize, 1));
            vmm.Client.GetIrqInfo(2).Error.Should().Be(Errno.EINVAL, "MSI-X");
            vmm.Client.GetIrqInfo(3).Error.Should().Be(Errno.EINVAL, "ERR");
        }
    }

    [Fact]
    public void Seed_INTx_is_never_automasked_so_every_cause_signals()
    {
        using Vmm vmm = Start(KernelProfile.Seed);
        var irq = new EventTrigger();
        vmm.WireInterrupt(PciIntxIrqIndex, irq).Should().Be(Errno.None);
        vmm.SetReg(0, Uart.Ier, 0x01);

        vmm.SetReg(0, Uart.Data, 1);
        _ = vmm.Reg(0, Uart.Data);
        vmm.SetReg(0, Uart.Data, 2);

        irq.TotalSignals.Should().Be(2, "no unmask was needed between the two received bytes");
    }

    [Fact]
    public void Seed_MASK_UNMASK_and_the_MSIX_ERR_REQ_indexes_succeed_and_do_nothing()
    {
        using Vmm vmm = Start(KernelProfile.Seed);

        vmm.Client.SetIrqs(IrqSetDataNone | IrqSetActionMask, PciIntxIrqIndex, 0, 1, []).Should().Be(Errno.None, "even with no INTx armed");
        vmm.Client.SetIrqs(IrqSetDataEventfd | IrqSetActionUnmask, PciIntxIrqIndex, 0, 1, Fd(3)).Should().Be(Errno.None);
        vmm.Client.SetIrqs(IrqSetDataNone | IrqSetActionMask, PciMsiIrqIndex, 0, 1, []).Should().Be(Errno.None);
        vmm.Client.SetIrqs(IrqSetDataNone | Trigger, 2, 0, 1, []).Should().Be(Errno.None);
        vmm.Client.SetIrqs(IrqSetDataNone | Trigger, 3, 0, 1, []).Should().Be(Errno.None);
        vmm.Client.SetIrqs(IrqSetDataNone | Trigger, ReqIndex, 0, 1, []).Should().Be(Errno.None);
        vmm.Client.SetIrqs(IrqSetDataNone | Trigger, PciIntxIrqIndex, 1, 2, []).Should().Be(Errno.None, "start and count are not checked beyond the header");
    }

    [Fact]
    public void Modern_rejects_what_the_seed_accepts_with_EINVAL_or_ENOTTY()
    {
        using Vmm vmm = Start(KernelProfile.Modern);

        vmm.Client.SetIrqs(IrqSetDataNone | IrqSetActionMask, PciIntxIrqIndex, 0, 1, []).Should().Be(Errno.EINVAL);
        vmm.Client.SetIrqs(IrqSetDataNone | IrqSetActionMask, PciMsiIrqIndex, 0, 1, []).Should().Be(Errno.ENOTTY);
        vmm.Client.SetIrqs(IrqSetDataNone | Trigger, ReqIndex, 0, 1, []).Should().Be(Errno.ENOTTY);
        vmm.Client.SetIrqs(IrqSetDataNone | Trigger, PciIntxIrqIndex, 1, 2, []).Should().Be(Errno.EINVAL);
    }

    [Fact]
    public void Seed_DATA_NONE_does_not_disable_INTx_and_an_eventfd_of_minus_one_is_ignored()
    {
        using Vmm vmm = Start(KernelProfile.Seed);
        var irq = new EventTrigger();
        vmm.WireInterrupt(PciIntxIrqIndex, irq).Should().Be(Errno.None);
        vmm.SetReg(0, Uart.Ier, 0x01);

        vmm.Client.SetIrqs(IrqSetDataNone | Trigger, PciIntxIrqIndex, 0, 0, []).Should().Be(Errno.None);
        vmm.Client.SetIrqs(IrqSetDataEventfd | Trigger, PciIntxIrqIndex, 0, 1, Fd(-1)).Should().Be(Errno.None);
        vmm.SetReg(0, Uart.Data, 1);

        irq.TotalSignals.Should().Be(1, "the v4.10 sample only logged the disable and skips fds <= 0");
    }

    [Fact]
    public void Seed_DATA_BOOL_trigger_is_no_loop_test()
    {
        using Vmm vmm = Start(KernelProfile.Seed);
        var irq = new EventTrigger();
        vmm.WireInterrupt(PciIntxIrqIndex, irq).Should().Be(Errno.None);

        vmm.Client.SetIrqs(IrqSetDataBool | Trigger, PciIntxIrqIndex, 0, 1, [1]).Should().Be(Errno.None);
        vmm.Client.SetIrqs(IrqSetDataNone | Trigger, PciIntxIrqIndex, 0, 1, []).Should().Be(Errno.None);

        irq.TotalSignals.Should().Be(0);
    }

    [Fact]
    public void Seed_MSI_disable_falls_back_to_INTx_and_keeps_the_MSI_eventfd_so_a_new_one_is_ignored()
    {
        using Vmm vmm = Start(KernelProfile.Seed);
        var intx = new EventTrigger();
        var msi = new EventTrigger();
        var second = new EventTrigger();
        vmm.WireInterrupt(PciIntxIrqIndex, intx).Should().Be(Errno.None);
        vmm.WireInterrupt(PciMsiIrqIndex, msi).Should().Be(Errno.None, "arming MSI while INTx is active is allowed");
        vmm.SetReg(0, Uart.Ier, 0x01);
        vmm.SetReg(0, Uart.Data, 1);
        (intx.TotalSignals, msi.TotalSignals).Should().Be((0L, 1L));

        vmm.Client.SetIrqs(IrqSetDataNone | Trigger, PciMsiIrqIndex, 0, 0, []).Should().Be(Errno.None);
        vmm.WireInterrupt(PciMsiIrqIndex, second).Should().Be(Errno.None);
        _ = vmm.Reg(0, Uart.Data);
        vmm.SetReg(0, Uart.Data, 2);

        (intx.TotalSignals, msi.TotalSignals, second.TotalSignals).Should().Be((1L, 1L, 0L));
    }

    [Fact]
    public void Seed_an_eventfd_number_that_is_not_open_returns_EBADF_as_fdget_fails()
    {
        using Vmm vmm = Start(KernelProfile.Seed);

        vmm.Client.SetIrqs(IrqSetDataEventfd | Trigger, PciIntxIrqIndex, 0, 1, Fd(999)).Should().Be(Errno.EBADF);
        vmm.Client.SetIrqs(IrqSetDataEventfd | Trigger, PciIntxIrqIndex, 0, 0, []).Should().Be(Errno.EINVAL, "no payload: the kernel dereferenced NULL; modelled as 6.7's count check");
    }

    [Fact]
    public void Seed_close_keeps_the_eventfds_armed_while_modern_close_drops_them()
    {
        foreach (KernelProfile profile in new[] { KernelProfile.Seed, KernelProfile.Modern })
        {
            using Vmm vmm = Start(profile);
            var irq = new EventTrigger();
            vmm.WireInterrupt(PciMsiIrqIndex, irq).Should().Be(Errno.None);

            vmm.Reopen(Vmm.Uuid(1));
            vmm.SetReg(0, Uart.Fcr, 0x07);
            vmm.SetReg(0, Uart.Ier, 0x01);
            vmm.SetReg(0, Uart.Data, 1);

            irq.TotalSignals.Should().Be(profile == KernelProfile.Seed ? 1 : 0, "profile {0}", profile);
        }
    }

    [Fact]
    public void Seed_IIR_reports_received_data_only_at_exactly_the_trigger_level()
    {
        using Vmm seed = Start(KernelProfile.Seed);
        using Vmm modern = Start(KernelProfile.Modern);
        foreach (Vmm vmm in new[] { seed, modern })
        {
            vmm.SetReg(0, Uart.Ier, 0x01);
            vmm.SetReg(0, Uart.Data, 1);
            vmm.SetReg(0, Uart.Data, 2);
        }

        seed.Reg(0, Uart.Iir).Should().Be(0xc1, "v4.10 handle_bar_read: count == intr_trigger_level");
        modern.Reg(0, Uart.Iir).Should().Be(0xc4, "later: count >= intr_trigger_level");
    }
}
