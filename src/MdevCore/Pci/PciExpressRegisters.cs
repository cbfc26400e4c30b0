namespace MdevCore.Pci;

/// <summary>
/// Offsets within the PCI Express capability and the link fields tools read from it (<c>PCI_EXP_*</c>);
/// offsets are relative to the capability's start.
/// </summary>
/// <remarks>Thread safety: constants only.</remarks>
public static class PciExpressRegisters
{
    /// <summary>Capabilities register (16 bits): version in bits 0-3, device/port type in bits 4-7.</summary>
    public const int Flags = 0x02;

    /// <summary>Device capabilities (32 bits).</summary>
    public const int DeviceCapabilities = 0x04;

    /// <summary>Device control (16 bits).</summary>
    public const int DeviceControl = 0x08;

    /// <summary>Device status (16 bits).</summary>
    public const int DeviceStatus = 0x0a;

    /// <summary>Link capabilities (32 bits): maximum speed in bits 0-3, maximum width in bits 4-9, port number in bits 24-31.</summary>
    public const int LinkCapabilities = 0x0c;

    /// <summary>Link control (16 bits).</summary>
    public const int LinkControl = 0x10;

    /// <summary>Link status (16 bits): current speed in bits 0-3, negotiated width in bits 4-9.</summary>
    public const int LinkStatus = 0x12;

    /// <summary>Device capabilities 2 (32 bits).</summary>
    public const int DeviceCapabilities2 = 0x24;

    /// <summary>Device control 2 (16 bits).</summary>
    public const int DeviceControl2 = 0x28;

    /// <summary>Link capabilities 2 (32 bits): the supported link speeds vector in bits 1-7.</summary>
    public const int LinkCapabilities2 = 0x2c;

    /// <summary>Link control 2 (16 bits): the target link speed in bits 0-3.</summary>
    public const int LinkControl2 = 0x30;

    /// <summary>Link status 2 (16 bits).</summary>
    public const int LinkStatus2 = 0x32;

    /// <summary>The size of a version 2 capability (an endpoint's, with the "2" registers).</summary>
    public const int CapabilitySizeV2 = 0x3c;

    /// <summary>The capability version field of <see cref="Flags"/>.</summary>
    public const ushort FlagsVersionMask = 0x000f;

    /// <summary>The device/port type field of <see cref="Flags"/> (see <see cref="PciExpressDeviceType"/>).</summary>
    public const ushort FlagsTypeMask = 0x00f0;

    /// <summary>The speed field of <see cref="LinkCapabilities"/> and <see cref="LinkStatus"/> (see <see cref="PciLinkSpeed"/>).</summary>
    public const uint LinkSpeedMask = 0x000f;

    /// <summary>The width field of <see cref="LinkCapabilities"/> and <see cref="LinkStatus"/>.</summary>
    public const uint LinkWidthMask = 0x03f0;

    /// <summary>How far the width field is shifted.</summary>
    public const int LinkWidthShift = 4;
}
