using System.Buffers.Binary;
using MdevCore.Vfio;
using static MdevCore.Vfio.VfioFlags;

namespace MdevCore.Samples.Mtty;

/// <summary>
/// The interrupt side of one mtty device before 6.7 (the seed profile: v4.10's <c>mtty_set_irqs</c>,
/// <c>mtty_get_irq_info</c>, <c>mtty_trigger_interrupt</c>, <c>mtty_close</c>).
/// </summary>
/// <remarks>
/// <para>What a VMM sees, unlike the 6.7 rework: GET_IRQ_INFO also answers the REQ index (count 1,
/// EVENTFD|NORESIZE); nothing is ever masked (INTx is reported AUTOMASKED but every cause signals), MASK and
/// UNMASK succeed and do nothing; SET_IRQS ignores start and count beyond the generic header checks; an eventfd
/// number of 0 or less is ignored rather than de-assigning; INTx TRIGGER with DATA_NONE does not disable
/// anything; MSI TRIGGER with DATA_NONE switches the active index back to INTx but keeps the MSI eventfd, so a
/// later MSI eventfd is ignored; arming INTx while MSI is active switches to INTx; MSI-X, ERR and REQ succeed
/// and do nothing; DATA_BOOL triggers are no-ops (no loop test); closing the device keeps the eventfds.</para>
/// <para>Left out, as 6.7 fixed them: the kernel's dereference of an absent payload (DATA_EVENTFD with count 0)
/// gives <see cref="Errno.EINVAL"/> here; an interrupt with no IRQ armed is dropped (v4.10 logged it; 4.14-6.6
/// signalled a NULL eventfd context); the eventfd references the sample never held (v4.10) or put and kept
/// using (4.14-6.6) are plain object references.</para>
/// <para>Thread safety: not thread-safe; the owning device serializes access under its lock.</para>
/// </remarks>
internal sealed class MttySeedInterrupts : IMttyInterrupts
{
    private const int None = -1;

    /// <summary>VFIO_PCI_REQ_IRQ_INDEX.</summary>
    private const uint ReqIrqIndex = 4;

    private int _index = None;
    private EventTrigger? _intx;
    private EventTrigger? _msi;

    /// <inheritdoc/>
    public int ActiveIndex => _index;

    /// <summary>Signals the eventfd of the active index, every time: the seed never masks.</summary>
    public void Raise()
    {
        if (_index == (int)PciMsiIrqIndex)
        {
            _msi?.Signal();
        }
        else if (_index == (int)PciIntxIrqIndex)
        {
            _intx?.Signal();
        }
    }

    /// <summary>The seed's close only logs: the eventfds stay armed for the next open.</summary>
    public void Close()
    {
    }

    /// <summary>INTx (maskable, automasked), MSI and REQ (noresize), one vector each.</summary>
    public Result<VfioIrqInfo> Info(uint index) => index switch
    {
        PciIntxIrqIndex => new VfioIrqInfo(index, IrqEventfd | IrqMaskable | IrqAutomasked, 1),
        PciMsiIrqIndex or ReqIrqIndex => new VfioIrqInfo(index, IrqEventfd | IrqNoResize, 1),
        _ => Errno.EINVAL,
    };

    /// <inheritdoc/>
    public Errno Set(VfioIrqSet request, ReadOnlySpan<byte> payload, EventTriggerTable? eventFds)
    {
        if (request.Action != IrqSetActionTrigger || (request.Index != PciIntxIrqIndex && request.Index != PciMsiIrqIndex))
        {
            return Errno.None; // MASK, UNMASK, several action bits, MSI-X, ERR and REQ: accepted, nothing happens.
        }

        bool msi = request.Index == PciMsiIrqIndex;
        if (request.DataType == IrqSetDataNone)
        {
            if (msi)
            {
                _index = (int)PciIntxIrqIndex; // "disable MSI": back to INTx, the MSI eventfd is kept.
            }

            return Errno.None; // "disable INTx" only logged.
        }

        if (request.DataType != IrqSetDataEventfd)
        {
            return Errno.None; // DATA_BOOL: no loop test in the seed.
        }

        if (payload.Length < sizeof(int))
        {
            return Errno.EINVAL; // The kernel read the fd through a NULL payload; 6.7 refuses count != 1.
        }

        int fd = BinaryPrimitives.ReadInt32LittleEndian(payload);
        if (fd <= 0 || (msi && _msi is not null))
        {
            return Errno.None;
        }

        if (eventFds is null)
        {
            return Errno.EBADF;
        }

        Result<EventTrigger> trigger = eventFds.Get(fd);
        if (!trigger.TryGetValue(out EventTrigger? found))
        {
            return trigger.Error;
        }

        if (msi)
        {
            _msi = found;
            _index = (int)PciMsiIrqIndex;
        }
        else
        {
            _intx = found;
            _index = (int)PciIntxIrqIndex;
        }

        return Errno.None;
    }
}
