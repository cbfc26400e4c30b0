namespace MdevCore.Samples.Pci;

/// <summary>What the kernel's display and serial samples share about their config spaces.</summary>
internal static class SampleConfigRegion
{
    /// <summary>The size the samples report for their config region: 0xff, one byte short of the header (as the kernel samples do).</summary>
    public const int ReportedSize = 0xff;

    /// <summary>Red Hat / Qumranet, the subsystem vendor of mdpy and mbochs.</summary>
    public const ushort SubvendorRedHatQumranet = 0x1af4;

    /// <summary>The QEMU subsystem device id of mdpy and mbochs.</summary>
    public const ushort SubdeviceQemu = 0x1100;

    /// <summary>Class code "display controller, other" (base 0x03, sub-class 0x80, interface 0).</summary>
    public const uint ClassDisplayOther = 0x038000;
}
