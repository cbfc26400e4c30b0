namespace MdevCore.Samples.Pci;

/// <summary>How the samples cut a read or write of the device file into register accesses.</summary>
internal static class RegionAccess
{
    /// <summary>The next naturally aligned chunk: 4 bytes when at least 4 remain at a dword boundary, else 2 at a word boundary, else 1.</summary>
    public static int ChunkSize(long position, int remaining) =>
        remaining >= 4 && (position & 3) == 0 ? 4
        : remaining >= 2 && (position & 1) == 0 ? 2
        : 1;

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
