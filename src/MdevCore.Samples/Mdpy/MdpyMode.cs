namespace MdevCore.Samples.Mdpy;

/// <summary>One mdpy type: a fixed XRGB8888 resolution.</summary>
/// <param name="SysfsName">The id after the dash in the type directory (<c>vga</c>, <c>xga</c>, <c>hd</c>).</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
internal sealed record MdpyMode(string SysfsName, uint Width, uint Height)
{
    public const uint BytesPerPixel = 4;

    /// <summary>DRM_FORMAT_XRGB8888: the fourcc "XR24".</summary>
    public const uint DrmFormatXrgb8888 = 0x34325258;

    public uint Stride => Width * BytesPerPixel;

    /// <summary>The framebuffer (and BAR0) size: the pixel bytes rounded up to a power of two.</summary>
    public long FramebufferSize => Pci.RegionAccess.RoundUpPowerOfTwo((long)Stride * Height);
}
