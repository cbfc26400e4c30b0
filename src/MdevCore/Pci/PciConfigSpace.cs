using System.Buffers.Binary;

namespace MdevCore.Pci;

/// <summary>
/// The configuration space of one PCI function: 256 bytes (4096 with PCI Express) and, for every bit, whether a
/// driver's write may change it. Made by <see cref="PciConfigSpaceBuilder"/>.
/// </summary>
/// <remarks>
/// Two kinds of access: <see cref="Read"/> and <see cref="Write"/> are what the other side (a guest, a host tool)
/// does, and a write changes only writable bits, so that writing all ones to a BAR reads back its size mask;
/// <c>Load*</c> and <c>Store*</c> are the device model's own access and ignore the write mask (to set a status
/// bit, for example). Offsets outside the space are programmer errors.
/// Thread safety: not thread-safe; the owner serializes access (a device lock).
/// </remarks>
public sealed class PciConfigSpace
{
    private readonly byte[] _bytes;
    private readonly byte[] _writable;

    internal PciConfigSpace(byte[] bytes, byte[] writable)
    {
        _bytes = bytes;
        _writable = writable;
    }

    /// <summary>The size: <see cref="PciRegisters.ConfigSpaceSize"/> or <see cref="PciRegisters.ExtendedConfigSpaceSize"/>.</summary>
    public int Size => _bytes.Length;

    /// <summary>Whether the space is PCI Express extended config space (4096 bytes).</summary>
    public bool IsExtended => _bytes.Length == PciRegisters.ExtendedConfigSpaceSize;

    /// <summary>Copies bytes out, as a config read does.</summary>
    /// <param name="offset">The first byte.</param>
    /// <param name="destination">Where the bytes go; its length is the read's length.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the space.</exception>
    public void Read(int offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        _bytes.AsSpan(offset, destination.Length).CopyTo(destination);
    }

    /// <summary>A config write from the other side: each bit changes only where the write mask allows it.</summary>
    /// <param name="offset">The first byte.</param>
    /// <param name="data">The bytes written.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the space.</exception>
    public void Write(int offset, ReadOnlySpan<byte> data)
    {
        CheckRange(offset, data.Length);
        for (int i = 0; i < data.Length; i++)
        {
            byte mask = _writable[offset + i];
            _bytes[offset + i] = (byte)((_bytes[offset + i] & ~mask) | (data[i] & mask));
        }
    }

    /// <summary>Reads one byte.</summary>
    /// <param name="offset">Its offset.</param>
    /// <returns>The byte.</returns>
    public byte Load8(int offset)
    {
        CheckRange(offset, 1);
        return _bytes[offset];
    }

    /// <summary>Reads a little-endian 16-bit register.</summary>
    /// <param name="offset">Its offset.</param>
    /// <returns>The value.</returns>
    public ushort Load16(int offset)
    {
        CheckRange(offset, 2);
        return BinaryPrimitives.ReadUInt16LittleEndian(_bytes.AsSpan(offset));
    }

    /// <summary>Reads a little-endian 32-bit register.</summary>
    /// <param name="offset">Its offset.</param>
    /// <returns>The value.</returns>
    public uint Load32(int offset)
    {
        CheckRange(offset, 4);
        return BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan(offset));
    }

    /// <summary>Sets one byte from the device side (the write mask does not apply).</summary>
    /// <param name="offset">Its offset.</param>
    /// <param name="value">The value.</param>
    public void Store8(int offset, byte value)
    {
        CheckRange(offset, 1);
        _bytes[offset] = value;
    }

    /// <summary>Sets a little-endian 16-bit register from the device side.</summary>
    /// <param name="offset">Its offset.</param>
    /// <param name="value">The value.</param>
    public void Store16(int offset, ushort value)
    {
        CheckRange(offset, 2);
        BinaryPrimitives.WriteUInt16LittleEndian(_bytes.AsSpan(offset), value);
    }

    /// <summary>Sets a little-endian 32-bit register from the device side.</summary>
    /// <param name="offset">Its offset.</param>
    /// <param name="value">The value.</param>
    public void Store32(int offset, uint value)
    {
        CheckRange(offset, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(_bytes.AsSpan(offset), value);
    }

    /// <summary>Finds the first capability with id <paramref name="id"/> in the standard list (<c>vfu_pci_find_capability</c>).</summary>
    /// <param name="id">A capability id (<see cref="PciCapabilityIds"/>).</param>
    /// <returns>Its offset, or 0 if the list has none.</returns>
    public int FindCapability(byte id) => Walk(First(), id);

    /// <summary>Finds the next capability with id <paramref name="id"/> after the one at <paramref name="offset"/>.</summary>
    /// <param name="offset">The offset of a capability in the list.</param>
    /// <param name="id">A capability id.</param>
    /// <returns>Its offset, or 0 if there is no further one.</returns>
    public int FindNextCapability(int offset, byte id)
    {
        CheckRange(offset, 2);
        return Walk(Next(offset, 0), id);
    }

    /// <summary>The offsets of every capability in list order.</summary>
    /// <returns>The offsets.</returns>
    public IReadOnlyList<int> GetCapabilityOffsets()
    {
        var offsets = new List<int>();
        for (int at = First(); at != 0; at = Next(at, offsets.Count))
        {
            offsets.Add(at);
        }

        return offsets;
    }

    private int Walk(int first, byte id)
    {
        for (int at = first, visited = 1; at != 0; at = Next(at, visited++))
        {
            if (_bytes[at] == id)
            {
                return at;
            }
        }

        return 0;
    }

    /// <summary>The first capability's offset, or 0 when the status register says there is no list.</summary>
    private int First() => (Load16(PciRegisters.Status) & PciRegisters.StatusCapabilityList) == 0 ? 0 : Valid(_bytes[PciRegisters.CapabilityList]);

    /// <summary>The capability after the one at <paramref name="at"/>; 0 at the end, and once 48 entries were visited, the
    /// most a well-formed list has (one per dword above the header), so that a malformed loop ends.</summary>
    private int Next(int at, int visited) => visited >= 48 ? 0 : Valid(_bytes[at + PciCapabilityIds.NextOffset]);

    private static int Valid(int pointer) => (pointer & ~3) >= PciRegisters.StandardHeaderSize ? pointer & ~3 : 0;

    private void CheckRange(int offset, int length)
    {
        if (offset < 0 || length < 0 || offset > _bytes.Length - length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"The range [{offset}, {offset}+{length}) is outside the {_bytes.Length}-byte config space.");
        }
    }
}
