namespace MdevCore.Fuse.Udev;

/// <summary>Austin Appleby's 32-bit MurmurHash2 with seed 0, the hash libudev puts in its message header and socket filters.</summary>
/// <remarks>Blocks are read little-endian, as libudev does on the little-endian machines it runs on. Thread safety: stateless.</remarks>
internal static class MurmurHash2
{
    private const uint M = 0x5bd1e995;
    private const int R = 24;

    /// <summary>The hash of <paramref name="data"/>.</summary>
    public static uint Hash(ReadOnlySpan<byte> data)
    {
        uint h = (uint)data.Length;
        while (data.Length >= 4)
        {
            uint k = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data);
            k *= M;
            k ^= k >> R;
            k *= M;
            h *= M;
            h ^= k;
            data = data[4..];
        }

        switch (data.Length)
        {
            case 3:
                h ^= (uint)data[2] << 16;
                h ^= (uint)data[1] << 8;
                h ^= data[0];
                h *= M;
                break;
            case 2:
                h ^= (uint)data[1] << 8;
                h ^= data[0];
                h *= M;
                break;
            case 1:
                h ^= data[0];
                h *= M;
                break;
            default:
                break;
        }

        h ^= h >> 13;
        h *= M;
        h ^= h >> 15;
        return h;
    }

    /// <summary>The hash of a string's UTF-8 bytes.</summary>
    public static uint Hash(string text) => Hash(System.Text.Encoding.UTF8.GetBytes(text));
}
