using MdevCore.Samples.Pci;
using static MdevCore.Samples.Pci.PciRegisters;

namespace MdevCore.Samples.Mbochs;

/// <summary>The PCI header of an mbochs display, as QEMU's stdvga shows it: VRAM in BAR0, the register page in BAR2.</summary>
internal static class MbochsConfigSpace
{
    public static PciConfigSpace Create()
    {
        var config = new PciConfigSpace();
        config.Store16(VendorId, MbochsDriver.VendorId);
        config.Store16(DeviceId, MbochsDriver.DeviceId);
        config.Store16(SubsystemVendorId, SubvendorRedHatQumranet);
        config.Store16(SubsystemId, SubdeviceQemu);
        config.Store16(Command, CommandIo | CommandMemory);
        config.Store16(ClassDevice, ClassDisplayOther);
        config[Revision] = 0x01;
        config.Store32(Bar0, BarMemPrefetch); // 32-bit, prefetchable VRAM
        config.Store32(Bar2, 0);              // 32-bit MMIO
        return config;
    }

    /// <summary>BAR0 and BAR2 take writes (with sizing); the rest is read-only.</summary>
    public static void Write(PciConfigSpace config, long vramSize, int offset, ReadOnlySpan<byte> data)
    {
        if (data.Length != 4 || offset is not (Bar0 or Bar2))
        {
            return;
        }

        long size = offset == Bar0 ? vramSize : MbochsDevice.MmioSize;
        config.WriteBar(offset, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data), PciRegisters.SizeMask(size), BarMemTypeBits);
    }
}
