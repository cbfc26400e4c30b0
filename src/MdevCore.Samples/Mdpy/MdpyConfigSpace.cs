using System.Buffers.Binary;
using MdevCore.DriverModel;
using MdevCore.Pci;
using MdevCore.Samples.Pci;
using static MdevCore.Pci.PciRegisters;

namespace MdevCore.Samples.Mdpy;

/// <summary>The PCI header of an mdpy display: Red Hat ids, a prefetchable framebuffer BAR and a vendor capability that describes the mode.</summary>
internal static class MdpyConfigSpace
{
    /// <summary>Where the vendor capability sits (the first capability); format, width and height follow at +4, +8, +12.</summary>
    public const int VendorCapOffset = StandardHeaderSize;

    public const int VendorCapSize = 0x10;

    /// <summary>The header as the kernel sample fills it; only BAR0 is writable (with sizing).</summary>
    public static PciConfigSpace Create(MdpyMode mode)
    {
        // The vendor capability's payload starts after its length byte: one reserved byte, then format, width, height.
        Span<byte> payload = stackalloc byte[VendorCapSize - 3];
        BinaryPrimitives.WriteUInt32LittleEndian(payload[1..], MdpyMode.DrmFormatXrgb8888);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[5..], mode.Width);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[9..], mode.Height);

        var ids = new PciIds(MdpyDriver.VendorId, MdpyDriver.DeviceId, SampleConfigRegion.ClassDisplayOther,
            SampleConfigRegion.SubvendorRedHatQumranet, SampleConfigRegion.SubdeviceQemu, Revision: 0x01);
        return new PciConfigSpaceBuilder(ids)
            .SetCommand(CommandIo | CommandMemory)
            .SetWriteMask(Command, 2, 0)
            .SetWriteMask(InterruptLine, 1, 0)
            .SetBar(0, PciBar.Memory32(mode.FramebufferSize, prefetchable: true))
            .AddVendorCapability(payload)
            .Build();
    }
}
