using System.Buffers.Binary;

namespace MdevCore.Samples.Mbochs;

/// <summary>
/// The EDID region (VFIO region type GFX, subtype EDID): the first half of the page holds the
/// <c>vfio_region_gfx_edid</c> registers, the second half the EDID blob the VMM writes.
/// </summary>
/// <remarks>
/// Registers (u32): edid_offset @0, edid_max_size @4, edid_size @8, max_xres @12, max_yres @16, link_state @20.
/// Only link_state and edid_size are writable, and only with aligned 4-byte accesses; other accesses are ignored
/// (reads of them return zero). Thread safety: not thread-safe; the owning device serializes access.
/// </remarks>
internal sealed class MbochsEdid
{
    public const int RegionSize = 4096;
    public const int BlobOffset = RegionSize / 2;
    public const int BlobMaxSize = 0x400;
    public const uint LinkStateUp = 1;
    public const uint LinkStateDown = 2;

    private const int RegistersSize = 24;
    private const int EdidSizeRegister = 8;
    private const int LinkStateRegister = 20;

    private readonly byte[] _registers = new byte[RegistersSize];
    private readonly byte[] _blob = new byte[BlobMaxSize];

    public MbochsEdid(uint maxX, uint maxY)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_registers, BlobOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(_registers.AsSpan(4), BlobMaxSize);
        BinaryPrimitives.WriteUInt32LittleEndian(_registers.AsSpan(12), maxX);
        BinaryPrimitives.WriteUInt32LittleEndian(_registers.AsSpan(16), maxY);
    }

    public uint EdidSize => BinaryPrimitives.ReadUInt32LittleEndian(_registers.AsSpan(EdidSizeRegister));

    public bool LinkUp => BinaryPrimitives.ReadUInt32LittleEndian(_registers.AsSpan(LinkStateRegister)) == LinkStateUp;

    /// <summary>An access inside the region at <paramref name="offset"/>.</summary>
    public void Access(int offset, Span<byte> chunk, bool write)
    {
        if (offset < BlobOffset)
        {
            bool valid = chunk.Length == 4 && offset % 4 == 0 && offset + 4 <= RegistersSize;
            if (write)
            {
                if (valid && offset is EdidSizeRegister or LinkStateRegister)
                {
                    chunk.CopyTo(_registers.AsSpan(offset));
                }
            }
            else if (valid)
            {
                _registers.AsSpan(offset, 4).CopyTo(chunk);
            }
            else
            {
                chunk.Clear();
            }

            return;
        }

        int at = offset - BlobOffset;
        if (at + chunk.Length > BlobMaxSize)
        {
            if (!write)
            {
                chunk.Clear();
            }

            return;
        }

        if (write)
        {
            chunk.CopyTo(_blob.AsSpan(at));
        }
        else
        {
            _blob.AsSpan(at, chunk.Length).CopyTo(chunk);
        }
    }

    /// <summary>What the MMIO BAR shows at 0x000-0x3ff: the blob while the link is up and within edid_size, else zeros.</summary>
    public void ReadThroughMmio(int offset, Span<byte> chunk)
    {
        if (!LinkUp || offset >= EdidSize || offset + chunk.Length > BlobMaxSize)
        {
            chunk.Clear();
            return;
        }

        _blob.AsSpan(offset, chunk.Length).CopyTo(chunk);
    }
}
