using MdevCore.DriverModel;
using MdevCore.Pci;
using MdevCore.Samples.Pci;
using static MdevCore.Pci.PciRegisters;

namespace MdevCore.Samples.Mbochs;

/// <summary>The PCI header of an mbochs display, as QEMU's stdvga shows it: VRAM in BAR0, the register page in BAR2.</summary>
internal static class MbochsConfigSpace
{
    /// <summary>The header as the kernel sample fills it; BAR0 and BAR2 take writes (with sizing), nothing else does.</summary>
    public static PciConfigSpace Create(long vramSize)
    {
        var ids = new PciIds(MbochsDriver.VendorId, MbochsDriver.DeviceId, SampleConfigRegion.ClassDisplayOther,
            SampleConfigRegion.SubvendorRedHatQumranet, SampleConfigRegion.SubdeviceQemu, Revision: 0x01);
        return new PciConfigSpaceBuilder(ids)
            .SetCommand(CommandIo | CommandMemory)
            .SetWriteMask(Command, 2, 0)
            .SetWriteMask(InterruptLine, 1, 0)
            .SetBar(0, PciBar.Memory32(vramSize, prefetchable: true))
            .SetBar(2, PciBar.Memory32(MbochsDevice.MmioSize))
            .Build();
    }
}
