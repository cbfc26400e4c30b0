namespace MdevCore.Vfio;

/// <summary>One VFIO_IOMMU_MAP_DMA mapping: an IOVA range backed by guest memory the user supplied.</summary>
/// <param name="Iova">Start of the range, page aligned.</param>
/// <param name="Memory">The backing memory; its length is the mapping size.</param>
/// <param name="Readable">Whether devices may read it (VFIO_DMA_MAP_FLAG_READ).</param>
/// <param name="Writable">Whether devices may write it (VFIO_DMA_MAP_FLAG_WRITE).</param>
/// <remarks>Thread safety: immutable.</remarks>
public sealed record VfioDmaMapping(ulong Iova, Memory<byte> Memory, bool Readable, bool Writable)
{
    /// <summary>The size in bytes.</summary>
    public ulong Size => (ulong)Memory.Length;

    /// <summary>One past the last IOVA.</summary>
    public ulong End => Iova + Size;
}
