using MdevCore.Pci;
using MdevCore.Samples.Pci;
using MdevCore.Vfio;

namespace MdevCore.Samples.Mdpy;

/// <summary>The state of one mdpy display: config space and the framebuffer, behind one lock.</summary>
/// <remarks>
/// Offsets: config space at 0, the framebuffer (BAR0 and the display region 16) at one page. Deviation from the
/// kernel sample, on purpose: framebuffer reads and writes land at the offset asked for (the sample always
/// copies from the start of the framebuffer). Thread safety: thread-safe.
/// </remarks>
internal sealed class MdpyDevice : IVfioDeviceOps, IVfioDeviceGfxPlane, IChunkedRegions
{
    public const long FramebufferOffset = 4096;

    /// <summary>The device-specific region index through which QUERY_GFX_PLANE points at the framebuffer.</summary>
    public const uint DisplayRegionIndex = 16;

    private readonly Lock _lock = new();
    private readonly PciConfigSpace _config;
    private readonly byte[] _framebuffer;
    private uint _cachedIrqCount;

    public MdpyDevice(MdpyMode mode)
    {
        Mode = mode;
        _config = MdpyConfigSpace.Create(mode);
        _framebuffer = new byte[mode.FramebufferSize];
        FillGradient();
    }

    public MdpyMode Mode { get; }

    public Result<int> Read(Span<byte> buffer, long position) => Access(buffer, position, write: false);

    // The write path only reads from the span; the shared loop takes a Span.
    public Result<int> Write(ReadOnlySpan<byte> data, long position) => Access(
        System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(data), data.Length),
        position, write: true);

    /// <summary>mmap: only the framebuffer, only from its first page, at most its size.</summary>
    public Result<Memory<byte>> Mmap(long offset, long length)
    {
        if (offset != FramebufferOffset || length <= 0 || length > _framebuffer.Length)
        {
            return Errno.EINVAL;
        }

        return _framebuffer.AsMemory(0, (int)length);
    }

    public VfioDeviceInfo GetInfo()
    {
        lock (_lock)
        {
            _cachedIrqCount = VfioFlags.PciNumIrqs;
        }

        return new VfioDeviceInfo(VfioFlags.DevicePci, VfioFlags.PciNumRegions, VfioFlags.PciNumIrqs);
    }

    public Result<VfioRegionInfo> GetRegionInfo(uint index) => index switch
    {
        VfioFlags.PciConfigRegionIndex => new VfioRegionInfo(index, VfioFlags.RegionRead | VfioFlags.RegionWrite, SampleConfigRegion.ReportedSize, 0),
        0 or DisplayRegionIndex => new VfioRegionInfo(index, VfioFlags.RegionRead | VfioFlags.RegionWrite | VfioFlags.RegionMmap, (ulong)_framebuffer.Length, FramebufferOffset),
        < VfioFlags.PciNumRegions => new VfioRegionInfo(index, 0, 0, 0),
        _ => Errno.EINVAL, // num_regions says 9, yet index 16 answers too.
    };

    public Result<VfioIrqInfo> GetIrqInfo(uint index)
    {
        lock (_lock)
        {
            return index < _cachedIrqCount ? new VfioIrqInfo(index, 0, 0) : Errno.EINVAL;
        }
    }

    /// <summary>The display has no interrupts.</summary>
    public Errno SetIrqs(VfioIrqSet request, ReadOnlySpan<byte> payload) => Errno.EINVAL;

    /// <summary>Reset repaints the grey gradient.</summary>
    public Errno Reset()
    {
        lock (_lock)
        {
            FillGradient();
        }

        return Errno.None;
    }

    public Result<VfioGfxPlaneInfo> QueryGfxPlane(uint flags, uint drmPlaneType)
    {
        if (GfxPlaneQuery.Answer(flags, VfioFlags.GfxPlaneTypeRegion) is { } answer)
        {
            return answer;
        }

        return new VfioGfxPlaneInfo(MdpyMode.DrmFormatXrgb8888, 0, Mode.Width, Mode.Height, Mode.Stride, (uint)_framebuffer.Length, 0, 0, 0, 0, DisplayRegionIndex);
    }

    /// <summary>Row y gets the grey level y × 255 / height in every byte.</summary>
    private void FillGradient()
    {
        int stride = (int)Mode.Stride;
        for (int y = 0; y < Mode.Height; y++)
        {
            _framebuffer.AsSpan(y * stride, stride).Fill((byte)(y * 255 / Mode.Height));
        }
    }

    private Result<int> Access(Span<byte> buffer, long position, bool write) => RegionAccess.Run(this, _lock, buffer, position, write);

    /// <summary>One chunk of config space (offset 0) or of the framebuffer (offset 4096).</summary>
    public bool AccessChunk(Span<byte> chunk, long at, bool write)
    {
        int size = chunk.Length;
        if (at + size <= _config.Size && at < SampleConfigRegion.ReportedSize)
        {
            if (write)
            {
                _config.Write((int)at, chunk);
            }
            else
            {
                _config.Read((int)at, chunk);
            }

            return true;
        }

        if (at >= FramebufferOffset && at + size <= FramebufferOffset + _framebuffer.Length)
        {
            Span<byte> pixels = _framebuffer.AsSpan((int)(at - FramebufferOffset), size);
            if (write)
            {
                chunk.CopyTo(pixels);
            }
            else
            {
                pixels.CopyTo(chunk);
            }

            return true;
        }

        return false;
    }
}
