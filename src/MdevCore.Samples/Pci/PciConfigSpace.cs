using System.Buffers.Binary;

namespace MdevCore.Samples.Pci;

/// <summary>
/// The 256 bytes of a conventional PCI configuration header as a sample device keeps them: little-endian
/// helpers to build it, reads that copy bytes out, and the BAR write rule (all ones asks for the size).
/// </summary>
/// <remarks>Thread safety: not thread-safe; the owning device serializes access under its lock.</remarks>
internal sealed class PciConfigSpace
{
    /// <summary>The size the samples report for their config region (the kernel samples say 0xff, one short of the header).</summary>
    public const int ReportedSize = 0xff;

    /// <summary>The bytes actually kept, so that a dword access at 0xfc stays inside the buffer.</summary>
    public const int StorageSize = 0x100;

    private readonly byte[] _bytes = new byte[StorageSize];

    public byte this[int offset]
    {
        get => _bytes[offset];
        set => _bytes[offset] = value;
    }

    public void Store16(int offset, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(_bytes.AsSpan(offset), value);

    public void Store32(int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_bytes.AsSpan(offset), value);

    public uint Load32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan(offset));

    public void StoreAscii(int offset, string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            _bytes[offset + i] = (byte)text[i];
        }
    }

    /// <summary>Copies bytes out; the caller has checked the range.</summary>
    public void Read(int offset, Span<byte> destination) => _bytes.AsSpan(offset, destination.Length).CopyTo(destination);

    /// <summary>
    /// A BAR write: all ones is the sizing probe and reads back the size mask; any other value is an address.
    /// Either way the read-only type bits (<paramref name="typeBits"/>) keep their current value.
    /// </summary>
    /// <param name="offset">The BAR's offset (0x10 + 4 × n).</param>
    /// <param name="value">The dword written.</param>
    /// <param name="sizeMask">The size mask: the two's complement of the BAR size.</param>
    /// <param name="typeBits">The low bits that encode the BAR type (0x3 for I/O, 0xf for memory).</param>
    public void WriteBar(int offset, uint value, uint sizeMask, uint typeBits)
    {
        uint address = value == uint.MaxValue ? value & sizeMask : value & ~typeBits;
        Store32(offset, address | (Load32(offset) & typeBits));
    }
}
