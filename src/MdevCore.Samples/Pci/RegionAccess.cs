namespace MdevCore.Samples.Pci;

/// <summary>How the samples cut a read or write of the device file into register accesses.</summary>
internal static class RegionAccess
{
    /// <summary>The next naturally aligned chunk: 4 bytes when at least 4 remain at a dword boundary, else 2 at a word boundary, else 1.</summary>
    public static int ChunkSize(long position, int remaining) =>
        remaining >= 4 && (position & 3) == 0 ? 4
        : remaining >= 2 && (position & 1) == 0 ? 2
        : 1;

    /// <summary>
    /// A device-file access split into naturally aligned 4, 2 and 1-byte chunks, as the kernel samples do,
    /// each handed to <paramref name="device"/> under its lock; the first chunk outside every region fails
    /// the access with <see cref="Errno.EFAULT"/>. Generic over the device so the hot path neither boxes nor allocates.
    /// </summary>
    public static Result<int> Run<TDevice>(TDevice device, Lock deviceLock, Span<byte> buffer, long position, bool write)
        where TDevice : IChunkedRegions
    {
        if (position < 0)
        {
            return Errno.EINVAL;
        }

        lock (deviceLock)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                long at = position + done;
                int size = ChunkSize(at, buffer.Length - done);
                if (!device.AccessChunk(buffer.Slice(done, size), at, write))
                {
                    return Errno.EFAULT;
                }

                done += size;
            }

            return done;
        }
    }

    /// <summary>The smallest power of two not below <paramref name="value"/> (the kernel's <c>roundup_pow_of_two</c>).</summary>
    public static long RoundUpPowerOfTwo(long value)
    {
        long result = 1;
        while (result < value)
        {
            result <<= 1;
        }

        return result;
    }
}
