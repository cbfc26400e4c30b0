namespace MdevCore.Pci;

/// <summary>What a base address register maps.</summary>
public enum PciBarKind
{
    /// <summary>I/O port space.</summary>
    Io,

    /// <summary>Memory space below 4 GiB.</summary>
    Memory32,

    /// <summary>Memory space anywhere; the BAR takes the next BAR slot as its upper half.</summary>
    Memory64,
}
