using MdevCore.Pci;
using MdevCore.Samples.Pci;
using MdevCore.Vfio;

namespace MdevCore.Samples.Mbochs;

/// <summary>
/// The state of one mbochs display: config space, the DISPI registers, the EDID region, lazily allocated VRAM
/// and the dma-buf ids handed out by QUERY_GFX_PLANE.
/// </summary>
/// <remarks>
/// Offsets: config at 0, the MMIO BAR2 at one page, the EDID region (index 9) at two pages, VRAM (BAR0) at three
/// pages. VRAM is allocated at the first write or mmap (reads before that see zeros) and freed at the last close,
/// as the sample puts its pages then. Deviation, on purpose: VRAM reads and writes land at the asked offset (the
/// sample subtracts the MMIO offset instead of the VRAM offset). GET_GFX_DMABUF is not modelled (no dma-buf file
/// descriptors here). Thread safety: thread-safe.
/// </remarks>
internal sealed class MbochsDevice : IVfioDeviceOps, IVfioDeviceGfxPlane, IChunkedRegions
{
    public const long MmioOffset = 4096;
    public const long MmioSize = 4096;
    public const long EdidOffset = MmioOffset + MmioSize;
    public const long VramOffset = EdidOffset + MbochsEdid.RegionSize;
    public const uint EdidRegionIndex = VfioFlags.PciNumRegions;
    public const uint NumRegions = EdidRegionIndex + 1;
    public const uint Bar2RegionIndex = 2;

    /// <summary>The largest GET_REGION_INFO argsz the sample accepts: the info plus one type capability.</summary>
    public const int MaxRegionInfoArgSize = 32 + 16;

    private readonly Lock _lock = new();
    private readonly PciConfigSpace _config;
    private readonly ushort[] _dispi = new ushort[BochsDispi.Count];
    private readonly MbochsEdid _edid;
    private readonly List<(MbochsMode Mode, uint Id)> _dmabufs = [];
    private byte[]? _vram;
    private uint _nextDmabufId = 1;

    public MbochsDevice(MbochsType type)
    {
        Type = type;
        _config = MbochsConfigSpace.Create(type.VramSize);
        _edid = new MbochsEdid(type.MaxX, type.MaxY);
        ResetRegisters();
    }

    public MbochsType Type { get; }

    /// <summary>The dma-buf id of the primary plane the VMM last queried; 0 when the guest shows nothing.</summary>
    public uint ActiveDmabufId { get; private set; }

    /// <summary>Whether VRAM has been allocated.</summary>
    public bool VramAllocated
    {
        get
        {
            lock (_lock)
            {
                return _vram is not null;
            }
        }
    }

    public Result<int> Read(Span<byte> buffer, long position) => Access(buffer, position, write: false);

    // The write path only reads from the span; the shared loop takes a Span.
    public Result<int> Write(ReadOnlySpan<byte> data, long position) => Access(
        System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(data), data.Length),
        position, write: true);

    public Result<Memory<byte>> Mmap(long offset, long length)
    {
        if (offset != VramOffset || length <= 0 || length > Type.VramSize)
        {
            return Errno.EINVAL;
        }

        lock (_lock)
        {
            return Vram().AsMemory(0, (int)length);
        }
    }

    /// <summary>close_device: dma-buf ids are forgotten and the VRAM pages go.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _dmabufs.Clear();
            _vram = null;
        }
    }

    public VfioDeviceInfo GetInfo() => new(VfioFlags.DevicePci, NumRegions, VfioFlags.PciNumIrqs);

    public Result<VfioRegionInfo> GetRegionInfo(uint index) => index switch
    {
        VfioFlags.PciConfigRegionIndex => new VfioRegionInfo(index, VfioFlags.RegionRead | VfioFlags.RegionWrite, SampleConfigRegion.ReportedSize, 0),
        0 => new VfioRegionInfo(index, VfioFlags.RegionRead | VfioFlags.RegionWrite | VfioFlags.RegionMmap, (ulong)Type.VramSize, VramOffset),
        Bar2RegionIndex => new VfioRegionInfo(index, VfioFlags.RegionRead | VfioFlags.RegionWrite, MmioSize, MmioOffset),
        EdidRegionIndex => new VfioRegionInfo(index, VfioFlags.RegionRead | VfioFlags.RegionWrite, MbochsEdid.RegionSize, EdidOffset,
            [new VfioRegionTypeCapability(VfioFlags.RegionTypeGfx, VfioFlags.RegionSubtypeGfxEdid)]),
        < NumRegions => new VfioRegionInfo(index, 0, 0, 0),
        _ => Errno.EINVAL,
    };

    public Result<VfioIrqInfo> GetIrqInfo(uint index) => index < VfioFlags.PciNumIrqs ? new VfioIrqInfo(index, 0, 0) : Errno.EINVAL;

    /// <summary>The display has no interrupts.</summary>
    public Errno SetIrqs(VfioIrqSet request, ReadOnlySpan<byte> payload) => Errno.EINVAL;

    /// <summary>DISPI registers back to power-on: all zero but the id and the video memory size.</summary>
    public Errno Reset()
    {
        lock (_lock)
        {
            ResetRegisters();
        }

        return Errno.None;
    }

    public Result<VfioGfxPlaneInfo> QueryGfxPlane(uint flags, uint drmPlaneType)
    {
        if (GfxPlaneQuery.Answer(flags, VfioFlags.GfxPlaneTypeDmabuf) is { } answer)
        {
            return answer;
        }

        lock (_lock)
        {
            bool primary = drmPlaneType == VfioGfxPlaneInfo.DrmPlaneTypePrimary;
            if (!primary || !TryCurrentMode(out MbochsMode mode))
            {
                if (primary)
                {
                    ActiveDmabufId = 0;
                }

                return default(VfioGfxPlaneInfo); // Plane disabled: success with zeroed fields.
            }

            uint id = DmabufIdFor(mode);
            ActiveDmabufId = id;
            return new VfioGfxPlaneInfo(MbochsMode.DrmFormat, 0, mode.Width, mode.Height, mode.Stride, (uint)mode.Size, 0, 0, 0, 0, id);
        }
    }

    private void ResetRegisters()
    {
        Array.Clear(_dispi);
        _dispi[BochsDispi.Id] = BochsDispi.Id5;
        _dispi[BochsDispi.VideoMemory64K] = (ushort)(Type.VramSize / (64 * 1024));
    }

    private byte[] Vram() => _vram ??= new byte[Type.VramSize];

    private uint DmabufIdFor(MbochsMode mode)
    {
        foreach ((MbochsMode known, uint id) in _dmabufs)
        {
            if (known == mode)
            {
                return id;
            }
        }

        uint fresh = _nextDmabufId++;
        _dmabufs.Add((mode, fresh));
        return fresh;
    }

    /// <summary>The mode the guest programmed, if it can be shown: enabled, 32 bpp, at least 64×64, inside VRAM.</summary>
    private bool TryCurrentMode(out MbochsMode mode)
    {
        mode = default;
        if ((_dispi[BochsDispi.Enable] & BochsDispi.Enabled) == 0 || _dispi[BochsDispi.Bpp] != 32)
        {
            return false;
        }

        uint width = _dispi[BochsDispi.XRes];
        uint height = _dispi[BochsDispi.YRes];
        uint stride = Math.Max(_dispi[BochsDispi.VirtWidth], width) * MbochsMode.BytesPerPixel;
        ulong size = (ulong)stride * height;
        ulong offset = ((ulong)_dispi[BochsDispi.XOffset] * MbochsMode.BytesPerPixel) + ((ulong)_dispi[BochsDispi.YOffset] * stride);
        if (width < 64 || height < 64 || offset + size > (ulong)Type.VramSize)
        {
            return false;
        }

        mode = new MbochsMode(width, height, stride, offset, size);
        return true;
    }

    private Result<int> Access(Span<byte> buffer, long position, bool write) => RegionAccess.Run(this, _lock, buffer, position, write);

    public bool AccessChunk(Span<byte> chunk, long at, bool write)
    {
        int size = chunk.Length;
        if (at < SampleConfigRegion.ReportedSize && at + size <= _config.Size)
        {
            if (write)
            {
                _config.Write((int)at, chunk);
            }
            else
            {
                _config.Read((int)at, chunk);
            }
        }
        else if (at >= MmioOffset && at + size <= MmioOffset + MmioSize)
        {
            AccessMmio((int)(at - MmioOffset), chunk, write);
        }
        else if (at >= EdidOffset && at + size <= EdidOffset + MbochsEdid.RegionSize)
        {
            _edid.Access((int)(at - EdidOffset), chunk, write);
        }
        else if (at >= VramOffset && at + size <= VramOffset + Type.VramSize)
        {
            int offset = (int)(at - VramOffset);
            if (write)
            {
                chunk.CopyTo(Vram().AsSpan(offset));
            }
            else if (_vram is null)
            {
                chunk.Clear();
            }
            else
            {
                _vram.AsSpan(offset, size).CopyTo(chunk);
            }
        }
        else
        {
            return false;
        }

        return true;
    }

    /// <summary>BAR2: EDID blob at 0x000-0x3ff (read-only), DISPI at 0x500-0x515 (16-bit accesses only); the rest reads as zero.</summary>
    private void AccessMmio(int offset, Span<byte> chunk, bool write)
    {
        if (offset is >= BochsDispi.MmioBase and <= BochsDispi.MmioEnd && chunk.Length == 2)
        {
            int index = (offset - BochsDispi.MmioBase) / 2;
            if (write)
            {
                if (index < BochsDispi.Count)
                {
                    _dispi[index] = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(chunk);
                }
            }
            else
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(chunk, index < BochsDispi.Count ? _dispi[index] : (ushort)0);
            }

            return;
        }

        if (write)
        {
            return; // The VGA ports (0x400) and QEMU extension registers (0x600) are ignored.
        }

        if (offset < MbochsEdid.BlobMaxSize)
        {
            _edid.ReadThroughMmio(offset, chunk);
        }
        else
        {
            chunk.Clear();
        }
    }
}
