namespace MdevCore.Pci;

/// <summary>The device/port type of a PCI Express function (<c>PCI_EXP_TYPE_*</c>), bits 4-7 of the capabilities register.</summary>
public enum PciExpressDeviceType
{
    /// <summary>A PCI Express endpoint.</summary>
    Endpoint = 0x0,

    /// <summary>A legacy PCI Express endpoint.</summary>
    LegacyEndpoint = 0x1,

    /// <summary>A root port of a root complex.</summary>
    RootPort = 0x4,

    /// <summary>The upstream port of a switch.</summary>
    UpstreamPort = 0x5,

    /// <summary>A downstream port of a switch.</summary>
    DownstreamPort = 0x6,

    /// <summary>A root complex integrated endpoint: no link.</summary>
    RootComplexIntegratedEndpoint = 0x9,

    /// <summary>A root complex event collector: no link.</summary>
    RootComplexEventCollector = 0xa,
}
