namespace MdevCore.Pci;

/// <summary>A PCI Express link: its speed and its width in lanes.</summary>
/// <param name="Speed">The speed.</param>
/// <param name="Width">The width: 1, 2, 4, 8, 12, 16 or 32 lanes.</param>
/// <remarks>Thread safety: immutable.</remarks>
public readonly record struct PciExpressLink(PciLinkSpeed Speed, int Width)
{
    /// <summary>What a simulated PCI function reports unless told otherwise: 8 GT/s, 16 lanes.</summary>
    public static PciExpressLink Default => new(PciLinkSpeed.Speed8GT, 16);

    /// <summary>Whether the speed is known and the width is one the specification allows.</summary>
    public bool IsValid =>
        Speed is >= PciLinkSpeed.Speed2_5GT and <= PciLinkSpeed.Speed64GT && Width is 1 or 2 or 4 or 8 or 12 or 16 or 32;

    /// <summary>The speed as the kernel prints it in <c>current_link_speed</c> (<c>8.0 GT/s PCIe</c>).</summary>
    /// <param name="speed">The speed.</param>
    /// <returns>The text, without newline; <c>Unknown</c> for an unknown speed.</returns>
    public static string FormatSpeed(PciLinkSpeed speed) => speed switch
    {
        PciLinkSpeed.Speed2_5GT => "2.5 GT/s PCIe",
        PciLinkSpeed.Speed5GT => "5.0 GT/s PCIe",
        PciLinkSpeed.Speed8GT => "8.0 GT/s PCIe",
        PciLinkSpeed.Speed16GT => "16.0 GT/s PCIe",
        PciLinkSpeed.Speed32GT => "32.0 GT/s PCIe",
        PciLinkSpeed.Speed64GT => "64.0 GT/s PCIe",
        _ => "Unknown",
    };
}
