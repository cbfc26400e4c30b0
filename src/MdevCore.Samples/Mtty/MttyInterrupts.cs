using System.Buffers.Binary;
using MdevCore.Vfio;
using static MdevCore.Vfio.VfioFlags;

namespace MdevCore.Samples.Mtty;

/// <summary>
/// The interrupt side of one mtty device since 6.7 ("vfio/mtty: Overhaul mtty interrupt handling"): either INTx
/// (level style, masked after every signal until the VMM unmasks it) or MSI (edge style, never masked) is
/// active, never both; and the SET_IRQS rules of <c>mtty_set_irqs</c>, <c>mtty_get_irq_info</c>,
/// <c>mtty_trigger_interrupt</c> and <c>mtty_close</c>.
/// </summary>
/// <remarks>Thread safety: not thread-safe; the owning device serializes access under its lock.</remarks>
internal sealed class MttyInterrupts : IMttyInterrupts
{
    private const int None = -1;

    private int _index = None;
    private EventTrigger? _intx;
    private EventTrigger? _msi;
    private bool _intxMasked;

    /// <summary>Which IRQ index is active: 0 INTx, 1 MSI, -1 none.</summary>
    public int ActiveIndex => _index;

    /// <summary>Whether INTx is masked.</summary>
    public bool IntxMasked => _intxMasked;

    private bool IsIntx => _index == (int)PciIntxIrqIndex;

    private bool IsMsi => _index == (int)PciMsiIrqIndex;

    private bool IsNone => !IsIntx && !IsMsi;

    /// <summary>Raises the device's interrupt once.</summary>
    public void Raise()
    {
        if (IsMsi)
        {
            _msi?.Signal();
        }
        else if (IsIntx && _intx is not null && !_intxMasked)
        {
            _intx.Signal();
            _intxMasked = true; // Level-triggered: stays masked until the VMM unmasks it.
        }
    }

    /// <summary>mtty_get_irq_info: INTx (maskable, automasked) and MSI (noresize), one vector each.</summary>
    public Result<VfioIrqInfo> Info(uint index) => index switch
    {
        PciIntxIrqIndex => new VfioIrqInfo(index, IrqEventfd | IrqMaskable | IrqAutomasked, 1),
        PciMsiIrqIndex => new VfioIrqInfo(index, IrqEventfd | IrqNoResize, 1),
        _ => Errno.EINVAL,
    };

    /// <summary>Drops both triggers (mtty_close).</summary>
    public void Close()
    {
        DisableIntx();
        DisableMsi();
    }

    /// <summary>SET_IRQS after the header passed validation.</summary>
    public Errno Set(VfioIrqSet request, ReadOnlySpan<byte> payload, EventTriggerTable? eventFds) => request.Index switch
    {
        PciIntxIrqIndex => SetIntx(request, payload, eventFds),
        PciMsiIrqIndex => SetMsi(request, payload, eventFds),
        _ => Errno.ENOTTY, // MSI-X, ERR and REQ are not implemented.
    };

    private Errno SetIntx(VfioIrqSet request, ReadOnlySpan<byte> payload, EventTriggerTable? eventFds)
    {
        switch (request.Action)
        {
            case IrqSetActionMask:
            case IrqSetActionUnmask:
                if (!IsIntx || request.Start != 0 || request.Count != 1)
                {
                    return Errno.EINVAL;
                }

                if (request.DataType == IrqSetDataEventfd)
                {
                    return Errno.ENOTTY; // No mask/unmask through an eventfd.
                }

                if (request.DataType == IrqSetDataNone || payload[0] != 0)
                {
                    _intxMasked = request.Action == IrqSetActionMask;
                }

                return Errno.None;
            case IrqSetActionTrigger:
                if (IsIntx && request.Count == 0 && request.DataType == IrqSetDataNone)
                {
                    DisableIntx();
                    return Errno.None;
                }

                if (!(IsIntx || IsNone) || request.Start != 0 || request.Count != 1)
                {
                    return Errno.EINVAL;
                }

                if (request.DataType == IrqSetDataEventfd)
                {
                    DisableIntx();
                    return Assign(payload, eventFds, ref _intx, PciIntxIrqIndex);
                }

                return LoopTest(request, payload, IsIntx);
            default:
                return Errno.None; // Several action bits: the sample's switch matches none of them.
        }
    }

    private Errno SetMsi(VfioIrqSet request, ReadOnlySpan<byte> payload, EventTriggerTable? eventFds)
    {
        switch (request.Action)
        {
            case IrqSetActionMask:
            case IrqSetActionUnmask:
                return Errno.ENOTTY;
            case IrqSetActionTrigger:
                if (IsMsi && request.Count == 0 && request.DataType == IrqSetDataNone)
                {
                    DisableMsi();
                    return Errno.None;
                }

                if (!(IsMsi || IsNone) || request.Start != 0 || request.Count != 1)
                {
                    return Errno.EINVAL;
                }

                if (request.DataType == IrqSetDataEventfd)
                {
                    DisableMsi();
                    return Assign(payload, eventFds, ref _msi, PciMsiIrqIndex);
                }

                return LoopTest(request, payload, IsMsi);
            default:
                return Errno.None;
        }
    }

    /// <summary>Takes the eventfd named in the payload; -1 only de-assigns (which the caller has done).</summary>
    private Errno Assign(ReadOnlySpan<byte> payload, EventTriggerTable? eventFds, ref EventTrigger? slot, uint index)
    {
        int fd = BinaryPrimitives.ReadInt32LittleEndian(payload);
        if (fd < 0)
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

        slot = found;
        _index = (int)index;
        return Errno.None;
    }

    /// <summary>DATA_NONE, or DATA_BOOL with a non-zero byte, fires the interrupt from user space (a loop test).</summary>
    private Errno LoopTest(VfioIrqSet request, ReadOnlySpan<byte> payload, bool active)
    {
        if (!active)
        {
            return Errno.EINVAL;
        }

        if (request.DataType == IrqSetDataNone || payload[0] != 0)
        {
            Raise();
        }

        return Errno.None;
    }

    private void DisableIntx()
    {
        if (_intx is not null)
        {
            _intx = null;
            _intxMasked = false;
            _index = None;
        }
    }

    private void DisableMsi()
    {
        if (_msi is not null)
        {
            _msi = null;
            _index = None;
        }
    }
}
