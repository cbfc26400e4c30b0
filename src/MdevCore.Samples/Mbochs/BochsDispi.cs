namespace MdevCore.Samples.Mbochs;

/// <summary>The bochs "DISPI" (VBE) display registers: 16-bit, at MMIO 0x500 + 2 × index.</summary>
internal static class BochsDispi
{
    public const int MmioBase = 0x500;
    public const int MmioEnd = 0x515;

    public const int Id = 0x0;
    public const int XRes = 0x1;
    public const int YRes = 0x2;
    public const int Bpp = 0x3;
    public const int Enable = 0x4;
    public const int Bank = 0x5;
    public const int VirtWidth = 0x6;
    public const int VirtHeight = 0x7;
    public const int XOffset = 0x8;
    public const int YOffset = 0x9;
    public const int VideoMemory64K = 0xa;
    public const int Count = 0xb;

    /// <summary>The newest interface id, which the device reports after reset.</summary>
    public const ushort Id5 = 0xb0c5;

    public const ushort Enabled = 0x01;
}
