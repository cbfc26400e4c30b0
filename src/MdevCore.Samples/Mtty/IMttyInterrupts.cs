using MdevCore.Vfio;

namespace MdevCore.Samples.Mtty;

/// <summary>
/// The interrupt rules of an mtty device, one implementation per kernel generation: <see cref="MttyInterrupts"/>
/// (6.7 and later) and <see cref="MttySeedInterrupts"/> (v4.10 up to 6.6). The device picks one from the host's
/// <see cref="KernelProfile"/> when it is created.
/// </summary>
/// <remarks>Thread safety: not thread-safe; the owning device serializes access under its lock.</remarks>
internal interface IMttyInterrupts
{
    /// <summary>Which IRQ index is active: 0 INTx, 1 MSI, -1 none.</summary>
    int ActiveIndex { get; }

    /// <summary>Raises the device's interrupt once (mtty_trigger_interrupt).</summary>
    void Raise();

    /// <summary>The last close of the device file (mtty_close).</summary>
    void Close();

    /// <summary>VFIO_DEVICE_GET_IRQ_INFO for an index below the cached num_irqs (mtty_get_irq_info).</summary>
    Result<VfioIrqInfo> Info(uint index);

    /// <summary>VFIO_DEVICE_SET_IRQS after the header passed validation (mtty_set_irqs).</summary>
    Errno Set(VfioIrqSet request, ReadOnlySpan<byte> payload, EventTriggerTable? eventFds);
}
