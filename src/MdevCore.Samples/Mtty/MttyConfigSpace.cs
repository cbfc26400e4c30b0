using MdevCore.Samples.Pci;
using static MdevCore.Samples.Pci.PciRegisters;

namespace MdevCore.Samples.Mtty;

/// <summary>The PCI header of an mtty card: a 16550-compatible serial controller with one I/O BAR per port.</summary>
/// <remarks>Thread safety: not thread-safe; the owning device serializes access under its lock.</remarks>
internal static class MttyConfigSpace
{
    /// <summary>Each port's I/O BAR is 8 bytes: the eight UART registers.</summary>
    public const int IoBarSize = 8;

    public static PciConfigSpace Create(int ports)
    {
        var config = new PciConfigSpace();
        config.Store32(VendorId, (uint)MttyDriver.DeviceId << 16 | MttyDriver.VendorId);
        config.Store16(Command, CommandIo);
        config.Store16(Status, 0x0200);          // no capability list
        config[Revision] = 0x10;
        config[ProgIf] = 0x02;                   // 16550-compatible
        config[ClassDevice] = 0x00;              // sub-class: serial
        config[ClassDevice + 1] = 0x07;          // base class: simple communication controller
        config.Store32(Bar0, BarSpaceIo);
        if (ports == 2)
        {
            config.Store32(Bar1, BarSpaceIo);
        }

        config.Store32(SubsystemVendorId, (uint)MttyDriver.DeviceId << 16 | MttyDriver.VendorId);
        config[CapabilityList] = 0x00;
        config[InterruptPin] = 0x01;             // INTA#

        // Vendor-specific bytes, then an identification string.
        config[0x40] = 0x23;
        config[0x43] = 0x80;
        config[0x44] = 0x23;
        config[0x48] = 0x23;
        config[0x4c] = 0x23;
        config.StoreAscii(0x60, "PCI Serial/UART");
        return config;
    }

    /// <summary>A guest write to the header: BAR0/BAR1 (with sizing), BAR2-4 (forced to 0) and the interrupt line are honoured.</summary>
    public static void Write(PciConfigSpace config, int ports, int offset, ReadOnlySpan<byte> data)
    {
        switch (offset)
        {
            case InterruptLine:
                config[InterruptLine] = data[0];
                break;
            case Bar1 when ports == 1:
                config.Store32(Bar1, 0);
                break;
            case Bar0 or Bar1 when data.Length == 4:
                config.WriteBar(offset, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data), PciRegisters.SizeMask(IoBarSize), BarIoTypeBits);
                break;
            case Bar2 or Bar3 or Bar4:
                config.Store32(offset, 0);
                break;
            default:
                break; // Command, status, the pin and everything else are read-only here.
        }
    }
}
