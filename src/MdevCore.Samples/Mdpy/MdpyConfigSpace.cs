using MdevCore.Samples.Pci;
using static MdevCore.Samples.Pci.PciRegisters;

namespace MdevCore.Samples.Mdpy;

/// <summary>The PCI header of an mdpy display: Red Hat ids, a prefetchable framebuffer BAR and a vendor capability that describes the mode.</summary>
internal static class MdpyConfigSpace
{
    /// <summary>Where the vendor capability sits; format, width and height follow at +4, +8, +12.</summary>
    public const int VendorCapOffset = 0x40;

    public const int VendorCapSize = 0x10;

    public static PciConfigSpace Create(MdpyMode mode)
    {
        var config = new PciConfigSpace();
        config.Store16(VendorId, MdpyDriver.VendorId);
        config.Store16(DeviceId, MdpyDriver.DeviceId);
        config.Store16(SubsystemVendorId, SubvendorRedHatQumranet);
        config.Store16(SubsystemId, SubdeviceQemu);
        config.Store16(Command, CommandIo | CommandMemory);
        config.Store16(Status, StatusCapList);
        config.Store16(ClassDevice, ClassDisplayOther);
        config[Revision] = 0x01;
        config.Store32(Bar0, BarMemPrefetch); // 32-bit memory, prefetchable

        config[CapabilityList] = VendorCapOffset;
        config[VendorCapOffset] = CapabilityIdVendor;
        config[VendorCapOffset + 1] = 0x00; // end of the list
        config[VendorCapOffset + 2] = VendorCapSize;
        config.Store32(VendorCapOffset + 4, MdpyMode.DrmFormatXrgb8888);
        config.Store32(VendorCapOffset + 8, mode.Width);
        config.Store32(VendorCapOffset + 12, mode.Height);
        return config;
    }

    /// <summary>Only BAR0 is writable (with sizing); every other byte is read-only.</summary>
    public static void Write(PciConfigSpace config, MdpyMode mode, int offset, ReadOnlySpan<byte> data)
    {
        if (offset == Bar0 && data.Length == 4)
        {
            config.WriteBar(Bar0, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data), PciRegisters.SizeMask(mode.FramebufferSize), BarMemTypeBits);
        }
    }
}
