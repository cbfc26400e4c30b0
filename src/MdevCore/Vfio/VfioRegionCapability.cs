namespace MdevCore.Vfio;

/// <summary>One entry of a region's capability chain.</summary>
/// <remarks>Thread safety: immutable.</remarks>
public abstract record VfioRegionCapability
{
    /// <summary>The capability id (<see cref="VfioFlags.RegionCapSparseMmap"/>, <see cref="VfioFlags.RegionCapType"/>).</summary>
    public abstract ushort Id { get; }

    /// <summary>The capability version.</summary>
    public virtual ushort Version => 1;

    /// <summary>The encoded size in bytes, header included, before alignment.</summary>
    internal abstract int Size { get; }

    /// <summary>Writes the body (everything after the 8-byte header).</summary>
    internal abstract void WriteBody(Span<byte> body);
}
