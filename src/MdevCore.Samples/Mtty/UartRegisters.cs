namespace MdevCore.Samples.Mtty;

/// <summary>16550 register offsets and bits (<c>include/uapi/linux/serial_reg.h</c>).</summary>
internal static class UartRegisters
{
    public const int Data = 0;      // RX (read) / TX (write); divisor low byte while LCR.DLAB
    public const int Ier = 1;       // interrupt enable; divisor high byte while LCR.DLAB
    public const int IirFcr = 2;    // IIR (read) / FCR (write)
    public const int Lcr = 3;
    public const int Mcr = 4;
    public const int Lsr = 5;
    public const int Msr = 6;
    public const int Scr = 7;
    public const int Count = 8;

    public const byte IerRdi = 0x01;
    public const byte IerThri = 0x02;
    public const byte IerRlsi = 0x04;
    public const byte IerMsi = 0x08;

    public const byte IirNoInt = 0x01;
    public const byte IirMsi = 0x00;
    public const byte IirThri = 0x02;
    public const byte IirRdi = 0x04;
    public const byte IirRlsi = 0x06;
    public const byte IirFifoBits = 0xc0;

    public const byte FcrEnableFifo = 0x01;
    public const byte FcrClearRcvr = 0x02;
    public const byte FcrClearXmit = 0x04;

    public const byte LcrDlab = 0x80;

    public const byte McrDtr = 0x01;
    public const byte McrRts = 0x02;
    public const byte McrOut2 = 0x08;
    public const byte McrAfe = 0x20;

    public const byte LsrDr = 0x01;
    public const byte LsrOe = 0x02;
    public const byte LsrThre = 0x20;
    public const byte LsrTemt = 0x40;

    public const byte MsrDcts = 0x01;
    public const byte MsrDdsr = 0x02;
    public const byte MsrCts = 0x10;
    public const byte MsrDsr = 0x20;
    public const byte MsrDcd = 0x80;
}
