using System.Buffers.Binary;

namespace MdevCore.Vfio;

/// <summary>The sparse mmap capability (<c>vfio_region_info_cap_sparse_mmap</c>): the mappable parts of a region.</summary>
/// <param name="Areas">The areas as (offset, size) pairs within the region.</param>
/// <remarks>Thread safety: immutable when the list is not changed.</remarks>
public sealed record VfioSparseMmapCapability(IReadOnlyList<(ulong Offset, ulong Size)> Areas) : VfioRegionCapability
{
    /// <inheritdoc/>
    public override ushort Id => VfioFlags.RegionCapSparseMmap;

    internal override int Size => 16 + (16 * Areas.Count);

    internal override void WriteBody(Span<byte> body)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(body, (uint)Areas.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(body[4..], 0);
        for (int i = 0; i < Areas.Count; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(body[(8 + (16 * i))..], Areas[i].Offset);
            BinaryPrimitives.WriteUInt64LittleEndian(body[(16 + (16 * i))..], Areas[i].Size);
        }
    }
}
