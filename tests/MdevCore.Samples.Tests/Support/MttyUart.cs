namespace MdevCore.Samples.Tests.Support;

/// <summary>Register names of a 16550, for readable tests.</summary>
internal static class Uart
{
    public const int Data = 0;
    public const int Ier = 1;
    public const int Iir = 2;
    public const int Fcr = 2;
    public const int Lcr = 3;
    public const int Mcr = 4;
    public const int Lsr = 5;
    public const int Msr = 6;
    public const int Scr = 7;

    public static byte Reg(this Vmm vmm, int port, int register) => vmm.Read8((uint)port, register);

    public static void SetReg(this Vmm vmm, int port, int register, byte value) => vmm.Write8((uint)port, register, value);
}
