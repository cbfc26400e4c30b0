namespace MdevCore.Pci;

/// <summary>A PCI Express link speed, as encoded in the speed fields of the link registers.</summary>
public enum PciLinkSpeed
{
    /// <summary>No or an unknown speed.</summary>
    Unknown = 0,

    /// <summary>2.5 GT/s (PCIe 1).</summary>
    Speed2_5GT = 1,

    /// <summary>5.0 GT/s (PCIe 2).</summary>
    Speed5GT = 2,

    /// <summary>8.0 GT/s (PCIe 3).</summary>
    Speed8GT = 3,

    /// <summary>16.0 GT/s (PCIe 4).</summary>
    Speed16GT = 4,

    /// <summary>32.0 GT/s (PCIe 5).</summary>
    Speed32GT = 5,

    /// <summary>64.0 GT/s (PCIe 6).</summary>
    Speed64GT = 6,
}
