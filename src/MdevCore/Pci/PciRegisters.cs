namespace MdevCore.Pci;

/// <summary>
/// Offsets and bits of the type 0 PCI configuration header (the names follow <c>include/uapi/linux/pci_regs.h</c>
/// without the <c>PCI_</c> prefix).
/// </summary>
/// <remarks>Thread safety: constants only.</remarks>
public static class PciRegisters
{
    /// <summary>Vendor id (16 bits).</summary>
    public const int VendorId = 0x00;

    /// <summary>Device id (16 bits).</summary>
    public const int DeviceId = 0x02;

    /// <summary>Command register (16 bits).</summary>
    public const int Command = 0x04;

    /// <summary>Status register (16 bits).</summary>
    public const int Status = 0x06;

    /// <summary>Revision id (8 bits).</summary>
    public const int RevisionId = 0x08;

    /// <summary>Programming interface, the low byte of the class code (8 bits).</summary>
    public const int ClassProgIf = 0x09;

    /// <summary>Sub-class (low byte) and base class (high byte) of the class code (16 bits).</summary>
    public const int ClassDevice = 0x0a;

    /// <summary>Cache line size in dwords (8 bits).</summary>
    public const int CacheLineSize = 0x0c;

    /// <summary>Latency timer (8 bits).</summary>
    public const int LatencyTimer = 0x0d;

    /// <summary>Header type (8 bits): <see cref="HeaderTypeNormal"/>, plus <see cref="HeaderTypeMultifunction"/>.</summary>
    public const int HeaderType = 0x0e;

    /// <summary>Built-in self test (8 bits).</summary>
    public const int Bist = 0x0f;

    /// <summary>Base address register 0 (32 bits); BAR n is at <c>Bar0 + 4 × n</c>.</summary>
    public const int Bar0 = 0x10;

    /// <summary>Base address register 1.</summary>
    public const int Bar1 = 0x14;

    /// <summary>Base address register 2.</summary>
    public const int Bar2 = 0x18;

    /// <summary>Base address register 3.</summary>
    public const int Bar3 = 0x1c;

    /// <summary>Base address register 4.</summary>
    public const int Bar4 = 0x20;

    /// <summary>Base address register 5.</summary>
    public const int Bar5 = 0x24;

    /// <summary>How many BARs a type 0 header has.</summary>
    public const int BarCount = 6;

    /// <summary>CardBus CIS pointer (32 bits).</summary>
    public const int CardbusCis = 0x28;

    /// <summary>Subsystem vendor id (16 bits).</summary>
    public const int SubsystemVendorId = 0x2c;

    /// <summary>Subsystem id (16 bits).</summary>
    public const int SubsystemId = 0x2e;

    /// <summary>Expansion ROM base address (32 bits).</summary>
    public const int RomAddress = 0x30;

    /// <summary>Offset of the first capability (8 bits; 0 for none).</summary>
    public const int CapabilityList = 0x34;

    /// <summary>Interrupt line (8 bits): the IRQ the system routed the pin to.</summary>
    public const int InterruptLine = 0x3c;

    /// <summary>Interrupt pin (8 bits): 0 none, 1-4 INTA#-INTD#.</summary>
    public const int InterruptPin = 0x3d;

    /// <summary>Minimum grant (8 bits).</summary>
    public const int MinGnt = 0x3e;

    /// <summary>Maximum latency (8 bits).</summary>
    public const int MaxLat = 0x3f;

    /// <summary>The size of the standard header; capabilities live above it.</summary>
    public const int StandardHeaderSize = 0x40;

    /// <summary>The size of conventional PCI config space.</summary>
    public const int ConfigSpaceSize = 0x100;

    /// <summary>The size of PCI Express (extended) config space.</summary>
    public const int ExtendedConfigSpaceSize = 0x1000;

    /// <summary>Command: respond to I/O space accesses.</summary>
    public const ushort CommandIo = 0x0001;

    /// <summary>Command: respond to memory space accesses.</summary>
    public const ushort CommandMemory = 0x0002;

    /// <summary>Command: bus mastering (DMA) enabled.</summary>
    public const ushort CommandMaster = 0x0004;

    /// <summary>Command: parity error response.</summary>
    public const ushort CommandParity = 0x0040;

    /// <summary>Command: SERR# enabled.</summary>
    public const ushort CommandSerr = 0x0100;

    /// <summary>Command: legacy INTx emulation disabled.</summary>
    public const ushort CommandInterruptDisable = 0x0400;

    /// <summary>Status: an INTx interrupt is pending.</summary>
    public const ushort StatusInterrupt = 0x0008;

    /// <summary>Status: the capability list at <see cref="CapabilityList"/> is valid.</summary>
    public const ushort StatusCapabilityList = 0x0010;

    /// <summary>Status: medium DEVSEL timing (bits 9-10 = 01).</summary>
    public const ushort StatusDevselMedium = 0x0200;

    /// <summary>Header type 0: a normal device (not a bridge).</summary>
    public const byte HeaderTypeNormal = 0x00;

    /// <summary>Header type bit 7: the device has more than one function.</summary>
    public const byte HeaderTypeMultifunction = 0x80;

    /// <summary>BAR bit 0: the BAR maps I/O space (else memory space).</summary>
    public const uint BarSpaceIo = 0x1;

    /// <summary>Memory BAR bits 1-2 = 10: a 64-bit BAR that takes the next BAR as its upper half.</summary>
    public const uint BarMemoryType64 = 0x4;

    /// <summary>Memory BAR bit 3: prefetchable.</summary>
    public const uint BarMemoryPrefetch = 0x8;

    /// <summary>The read-only low bits of an I/O BAR.</summary>
    public const uint BarIoTypeBits = 0x3;

    /// <summary>The read-only low bits of a memory BAR.</summary>
    public const uint BarMemoryTypeBits = 0xf;
}
