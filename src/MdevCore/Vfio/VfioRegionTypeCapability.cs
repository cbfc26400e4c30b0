using System.Buffers.Binary;

namespace MdevCore.Vfio;

/// <summary>The region type capability (<c>vfio_region_info_cap_type</c>): which device-specific region this is.</summary>
/// <param name="Type">The type, for example 1 for graphics.</param>
/// <param name="Subtype">The subtype, for example 1 for EDID.</param>
/// <remarks>Thread safety: immutable.</remarks>
public sealed record VfioRegionTypeCapability(uint Type, uint Subtype) : VfioRegionCapability
{
    /// <inheritdoc/>
    public override ushort Id => VfioFlags.RegionCapType;

    internal override int Size => 16;

    internal override void WriteBody(Span<byte> body)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(body, Type);
        BinaryPrimitives.WriteUInt32LittleEndian(body[4..], Subtype);
    }
}
