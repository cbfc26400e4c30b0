namespace MdevCore.Samples.Mbochs;

/// <summary>A scan-out mode derived from the DISPI registers; equal modes share one dma-buf id.</summary>
internal readonly record struct MbochsMode(uint Width, uint Height, uint Stride, ulong Offset, ulong Size)
{
    /// <summary>DRM_FORMAT_XRGB8888, the only format (32 bpp).</summary>
    public const uint DrmFormat = 0x34325258;

    public const uint BytesPerPixel = 4;
}
