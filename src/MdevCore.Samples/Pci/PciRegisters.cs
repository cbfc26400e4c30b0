namespace MdevCore.Samples.Pci;

/// <summary>Offsets and values of the PCI configuration header the samples use (<c>include/uapi/linux/pci_regs.h</c>).</summary>
internal static class PciRegisters
{
    public const int VendorId = 0x00;
    public const int DeviceId = 0x02;
    public const int Command = 0x04;
    public const int Status = 0x06;
    public const int Revision = 0x08;
    public const int ProgIf = 0x09;
    public const int ClassDevice = 0x0a;
    public const int Bar0 = 0x10;
    public const int Bar1 = 0x14;
    public const int Bar2 = 0x18;
    public const int Bar3 = 0x1c;
    public const int Bar4 = 0x20;
    public const int SubsystemVendorId = 0x2c;
    public const int SubsystemId = 0x2e;
    public const int CapabilityList = 0x34;
    public const int InterruptLine = 0x3c;
    public const int InterruptPin = 0x3d;

    public const ushort CommandIo = 0x1;
    public const ushort CommandMemory = 0x2;
    public const ushort StatusCapList = 0x10;

    /// <summary>Class code "display controller, other" (base 0x03, sub-class 0x80).</summary>
    public const ushort ClassDisplayOther = 0x0380;

    public const uint BarSpaceIo = 0x1;
    public const uint BarMemPrefetch = 0x8;
    public const uint BarIoTypeBits = 0x3;
    public const uint BarMemTypeBits = 0xf;

    /// <summary>Red Hat / Qumranet sub-vendor and the QEMU sub-device, used by mdpy and mbochs.</summary>
    public const ushort SubvendorRedHatQumranet = 0x1af4;
    public const ushort SubdeviceQemu = 0x1100;

    /// <summary>The capability id of a vendor-specific capability.</summary>
    public const byte CapabilityIdVendor = 0x09;

    /// <summary>The size mask of a BAR of <paramref name="size"/> bytes (a power of two).</summary>
    public static uint SizeMask(long size) => (uint)(~size + 1);
}
