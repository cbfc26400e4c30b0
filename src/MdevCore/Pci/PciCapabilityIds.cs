namespace MdevCore.Pci;

/// <summary>
/// Capability ids of the standard capability list (<c>PCI_CAP_ID_*</c>), and the layout every capability
/// starts with: its id at +0 and the offset of the next one at +1.
/// </summary>
/// <remarks>Thread safety: constants only.</remarks>
public static class PciCapabilityIds
{
    /// <summary>Offset of the next capability within a capability (0 ends the list).</summary>
    public const int NextOffset = 1;

    /// <summary>Power management.</summary>
    public const byte PowerManagement = 0x01;

    /// <summary>Vital product data.</summary>
    public const byte Vpd = 0x03;

    /// <summary>Message signalled interrupts.</summary>
    public const byte Msi = 0x05;

    /// <summary>Vendor specific: the byte at +2 is the capability's length.</summary>
    public const byte Vendor = 0x09;

    /// <summary>PCI Express.</summary>
    public const byte PciExpress = 0x10;

    /// <summary>MSI-X.</summary>
    public const byte MsiX = 0x11;
}
