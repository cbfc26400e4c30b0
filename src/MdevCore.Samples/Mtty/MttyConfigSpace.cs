using MdevCore.DriverModel;
using MdevCore.Pci;
using static MdevCore.Pci.PciRegisters;

namespace MdevCore.Samples.Mtty;

/// <summary>The PCI header of an mtty card: a 16550-compatible serial controller with one I/O BAR per port.</summary>
internal static class MttyConfigSpace
{
    /// <summary>Each port's I/O BAR is 8 bytes: the eight UART registers.</summary>
    public const int IoBarSize = 8;

    /// <summary>Class 07 (simple communication), sub-class 00 (serial), interface 02 (16550-compatible).</summary>
    private const uint ClassSerial16550 = 0x070002;

    /// <summary>
    /// The header as the kernel sample fills it. Writable: the BARs of the ports (with sizing) and the interrupt line;
    /// the sample ignores command writes, and the BARs of absent ports read as zero.
    /// </summary>
    public static PciConfigSpace Create(int ports)
    {
        var ids = new PciIds(MttyDriver.VendorId, MttyDriver.DeviceId, ClassSerial16550, MttyDriver.VendorId, MttyDriver.DeviceId, Revision: 0x10);
        PciConfigSpaceBuilder builder = new PciConfigSpaceBuilder(ids)
            .SetCommand(CommandIo)
            .SetWriteMask(Command, 2, 0)
            .SetStatus(StatusDevselMedium)       // no capability list
            .SetInterrupt(pin: 1)                // INTA#
            .SetBar(0, PciBar.Io(IoBarSize));
        if (ports == 2)
        {
            _ = builder.SetBar(1, PciBar.Io(IoBarSize));
        }

        // Vendor-specific bytes outside any capability, then an identification string.
        return builder
            .Set32(0x40, 0x8000_0023)
            .Set32(0x44, 0x23)
            .Set32(0x48, 0x23)
            .Set32(0x4c, 0x23)
            .SetBytes(0x60, "PCI Serial/UART"u8)
            .Build();
    }
}
