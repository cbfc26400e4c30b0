namespace MdevCore.Vfio;

/// <summary>What VFIO_DEVICE_GET_REGION_INFO reports for one index (<c>struct vfio_region_info</c>).</summary>
/// <param name="Index">The region index.</param>
/// <param name="Flags">Region flags (<see cref="VfioFlags.RegionRead"/>, ...); the codec adds <see cref="VfioFlags.RegionCaps"/> when there are capabilities.</param>
/// <param name="Size">The size in bytes; 0 when the region is not implemented.</param>
/// <param name="Offset">The device-file offset of the region (driver-defined; take it from here, never assume <c>index &lt;&lt; 40</c>).</param>
/// <param name="Capabilities">The capability chain, or empty.</param>
/// <remarks>Thread safety: immutable when the list is not changed.</remarks>
public sealed record VfioRegionInfo(uint Index, uint Flags, ulong Size, ulong Offset, IReadOnlyList<VfioRegionCapability> Capabilities)
{
    /// <summary>A region without capabilities.</summary>
    /// <param name="index">The region index.</param>
    /// <param name="flags">Region flags.</param>
    /// <param name="size">The size.</param>
    /// <param name="offset">The device-file offset.</param>
    public VfioRegionInfo(uint index, uint flags, ulong size, ulong offset)
        : this(index, flags, size, offset, [])
    {
    }
}
