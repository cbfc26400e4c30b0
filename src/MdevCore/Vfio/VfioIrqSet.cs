namespace MdevCore.Vfio;

/// <summary>The header of VFIO_DEVICE_SET_IRQS (<c>struct vfio_irq_set</c>, 20 bytes) and its payload.</summary>
/// <param name="ArgSize">argsz: header plus payload bytes the caller says it passed.</param>
/// <param name="Flags">Data-type and action bits (<see cref="VfioFlags"/>).</param>
/// <param name="Index">The IRQ index.</param>
/// <param name="Start">The first vector.</param>
/// <param name="Count">The number of vectors.</param>
/// <remarks>Thread safety: immutable.</remarks>
public readonly record struct VfioIrqSet(uint ArgSize, uint Flags, uint Index, uint Start, uint Count)
{
    /// <summary>Size of the header in bytes.</summary>
    public const int HeaderSize = 20;

    /// <summary>The data-type bits.</summary>
    public uint DataType => Flags & VfioFlags.IrqSetDataTypeMask;

    /// <summary>The action bits.</summary>
    public uint Action => Flags & VfioFlags.IrqSetActionTypeMask;

    /// <summary>
    /// Validates the header as <c>vfio_set_irqs_validate_and_prepare</c> does and computes the payload size.
    /// Like the kernel, it does not require exactly one action bit.
    /// </summary>
    /// <param name="irqCount">How many vectors the index has (from GET_IRQ_INFO).</param>
    /// <param name="indexCount">How many IRQ indexes the device has.</param>
    /// <param name="payloadSize">The payload size in bytes: 0 for NONE, <c>Count</c> for BOOL, <c>4 × Count</c> for EVENTFD.</param>
    /// <returns><see cref="Errno.None"/>, or <see cref="Errno.EINVAL"/> when argsz is short, the index or range is out of
    /// bounds, an unknown flag is set, not exactly one data type is set, or argsz cannot hold the payload.</returns>
    public Errno Validate(uint irqCount, uint indexCount, out int payloadSize)
    {
        payloadSize = 0;
        if (ArgSize < HeaderSize || Index >= indexCount || Count >= uint.MaxValue - Start
            || (Flags & ~(VfioFlags.IrqSetDataTypeMask | VfioFlags.IrqSetActionTypeMask)) != 0)
        {
            return Errno.EINVAL;
        }

        if (Start >= irqCount || Start + Count > irqCount)
        {
            return Errno.EINVAL;
        }

        int elementSize = DataType switch
        {
            VfioFlags.IrqSetDataNone => 0,
            VfioFlags.IrqSetDataBool => 1,
            VfioFlags.IrqSetDataEventfd => 4,
            _ => -1,
        };
        if (elementSize < 0)
        {
            return Errno.EINVAL;
        }

        long size = (long)elementSize * Count;
        if (elementSize > 0 && ArgSize - HeaderSize < size)
        {
            return Errno.EINVAL;
        }

        payloadSize = (int)size;
        return Errno.None;
    }
}
