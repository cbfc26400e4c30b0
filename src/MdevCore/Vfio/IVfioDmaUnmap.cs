using MdevCore.Mediated;

namespace MdevCore.Vfio;

/// <summary>
/// Optional vendor callback: user space is unmapping an IOVA range the device has pinned pages in
/// (6.x <c>vfio_device_ops.dma_unmap</c>; the seed's DMA_UNMAP notifier). The vendor must unpin
/// everything it pinned in the range before returning. A vendor without it may not pin.
/// </summary>
/// <remarks>Called outside every core lock.</remarks>
public interface IVfioDmaUnmap
{
    /// <summary>Unpin every page of the range.</summary>
    /// <param name="mdev">The device.</param>
    /// <param name="iova">Start of the range being unmapped.</param>
    /// <param name="length">Its length in bytes.</param>
    void DmaUnmap(MdevDevice mdev, ulong iova, ulong length);
}
