using System.Numerics;

namespace MdevCore.Pci;

/// <summary>One base address register: what it maps, how large it is and where it sits.</summary>
/// <param name="Kind">I/O, 32-bit or 64-bit memory.</param>
/// <param name="Size">The size in bytes: a power of two, at least 4 for I/O and 16 for memory.</param>
/// <param name="Prefetchable">Whether memory space is prefetchable (never for I/O).</param>
/// <param name="Address">The address assigned to it; 0 for none (an unassigned BAR).</param>
/// <remarks>Thread safety: immutable.</remarks>
public readonly record struct PciBar(PciBarKind Kind, long Size, bool Prefetchable = false, ulong Address = 0)
{
    /// <summary>An I/O BAR.</summary>
    /// <param name="size">The size in bytes (a power of two, 4-256).</param>
    /// <param name="address">The assigned port address, or 0.</param>
    /// <returns>The BAR.</returns>
    public static PciBar Io(long size, ulong address = 0) => new(PciBarKind.Io, size, false, address);

    /// <summary>A 32-bit memory BAR.</summary>
    /// <param name="size">The size in bytes (a power of two, at least 16, at most 2 GiB).</param>
    /// <param name="prefetchable">Whether it is prefetchable.</param>
    /// <param name="address">The assigned address, or 0.</param>
    /// <returns>The BAR.</returns>
    public static PciBar Memory32(long size, bool prefetchable = false, ulong address = 0) => new(PciBarKind.Memory32, size, prefetchable, address);

    /// <summary>A 64-bit memory BAR (it also takes the next BAR slot).</summary>
    /// <param name="size">The size in bytes (a power of two, at least 16).</param>
    /// <param name="prefetchable">Whether it is prefetchable.</param>
    /// <param name="address">The assigned address, or 0.</param>
    /// <returns>The BAR.</returns>
    public static PciBar Memory64(long size, bool prefetchable = false, ulong address = 0) => new(PciBarKind.Memory64, size, prefetchable, address);

    /// <summary>The read-only low bits the BAR register shows: the space, type and prefetch bits.</summary>
    public uint TypeBits => Kind switch
    {
        PciBarKind.Io => PciRegisters.BarSpaceIo,
        PciBarKind.Memory64 => PciRegisters.BarMemoryType64 | (Prefetchable ? PciRegisters.BarMemoryPrefetch : 0),
        _ => Prefetchable ? PciRegisters.BarMemoryPrefetch : 0,
    };

    /// <summary>Whether the fields describe a BAR a device can have.</summary>
    public bool IsValid =>
        Size > 0 && BitOperations.IsPow2(Size) && (Address & (ulong)(Size - 1)) == 0 && Kind switch
        {
            PciBarKind.Io => Size is >= 4 and <= 256 && !Prefetchable && Address <= 0xffff_ffff,
            PciBarKind.Memory32 => Size is >= 16 and <= 0x8000_0000 && Address <= 0xffff_ffff,
            PciBarKind.Memory64 => Size >= 16,
            _ => false,
        };
}
