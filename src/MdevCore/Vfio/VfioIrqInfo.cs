namespace MdevCore.Vfio;

/// <summary>What VFIO_DEVICE_GET_IRQ_INFO reports for one index (<c>struct vfio_irq_info</c>).</summary>
/// <param name="Index">The IRQ index.</param>
/// <param name="Flags">IRQ info flags (<see cref="VfioFlags.IrqEventfd"/>, ...).</param>
/// <param name="Count">Number of vectors; 0 when the index is not implemented.</param>
/// <remarks>Thread safety: immutable.</remarks>
public readonly record struct VfioIrqInfo(uint Index, uint Flags, uint Count);
