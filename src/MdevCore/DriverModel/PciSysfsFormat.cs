using System.Globalization;
using System.Text;
using MdevCore.Internal;
using MdevCore.Pci;

namespace MdevCore.DriverModel;

/// <summary>The formats of the PCI sysfs attributes (<c>drivers/pci/pci-sysfs.c</c>, <c>lib/bitmap-str.c</c>).</summary>
internal static class PciSysfsFormat
{
    /// <summary>Lines in <c>resource</c> for a function that is not a bridge: six BARs, the ROM and six SR-IOV BARs.</summary>
    public const int ResourceLines = 13;

    private const ulong ResourceIo = 0x100;
    private const ulong ResourceMemory = 0x200;
    private const ulong ResourcePrefetch = 0x2000;
    private const ulong ResourceSizeAlign = 0x40000;
    private const ulong ResourceMemory64 = 0x100000;
    private const ulong ResourceUnset = 0x2000_0000;

    /// <summary>
    /// <c>resource</c>: one line per resource, <c>start end flags</c> as 0x-prefixed 16-digit hex. The flags are what
    /// the kernel derives from the BAR: its low type bits plus IORESOURCE_IO or _MEM, _PREFETCH, _MEM_64 and _SIZEALIGN
    /// (and _UNSET for a BAR without an address); the upper half of a 64-bit BAR and unused slots are all zeros.
    /// </summary>
    public static string Resources(IReadOnlyList<PciBar> bars)
    {
        var sb = new StringBuilder(ResourceLines * 57);
        int line = 0;
        foreach (PciBar bar in bars)
        {
            ulong flags = bar.TypeBits | ResourceSizeAlign | (bar.Kind == PciBarKind.Io ? ResourceIo : ResourceMemory)
                | (bar.Prefetchable ? ResourcePrefetch : 0) | (bar.Kind == PciBarKind.Memory64 ? ResourceMemory64 : 0)
                | (bar.Address == 0 ? ResourceUnset : 0);
            Line(sb, bar.Address, bar.Address + (ulong)bar.Size - 1, flags);
            line++;
            if (bar.Kind == PciBarKind.Memory64)
            {
                Line(sb, 0, 0, 0);
                line++;
            }
        }

        for (; line < ResourceLines; line++)
        {
            Line(sb, 0, 0, 0);
        }

        return sb.ToString();
    }

    /// <summary>
    /// <c>local_cpus</c>: the CPU bitmap in hex, most significant 32-bit group first, groups separated by commas;
    /// as wide as the highest CPU needs (the simulated machine's CPU count).
    /// </summary>
    public static string CpuMask(IReadOnlyList<int> cpus)
    {
        int bits = cpus.Max() + 1;
        int digits = (bits + 3) / 4;
        var nibbles = new char[digits];
        for (int i = 0; i < digits; i++)
        {
            int value = 0;
            foreach (int cpu in cpus)
            {
                if (cpu / 4 == i)
                {
                    value |= 1 << (cpu % 4);
                }
            }

            nibbles[digits - 1 - i] = "0123456789abcdef"[value];
        }

        var sb = new StringBuilder(digits + (digits / 8));
        for (int i = 0; i < digits; i++)
        {
            if (i > 0 && (digits - i) % 8 == 0)
            {
                _ = sb.Append(',');
            }

            _ = sb.Append(nibbles[i]);
        }

        return sb.ToString();
    }

    /// <summary><c>local_cpulist</c>: ascending CPU numbers with runs collapsed (<c>0-3,8,10-11</c>).</summary>
    public static string CpuList(IReadOnlyList<int> cpus)
    {
        int[] sorted = [.. cpus.Distinct().Order()];
        var sb = new StringBuilder();
        for (int i = 0; i < sorted.Length; i++)
        {
            int start = sorted[i];
            while (i + 1 < sorted.Length && sorted[i + 1] == sorted[i] + 1)
            {
                i++;
            }

            _ = sb.Append(sb.Length == 0 ? "" : ",").Append(start.ToString(CultureInfo.InvariantCulture));
            if (sorted[i] != start)
            {
                _ = sb.Append('-').Append(sorted[i].ToString(CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary><c>modalias</c> (and the uevent's MODALIAS): ids in 8-digit upper-case hex, then class, sub-class and interface.</summary>
    public static string Modalias(PciIds ids) => string.Create(CultureInfo.InvariantCulture,
        $"pci:v{ids.Vendor:X8}d{ids.Device:X8}sv{ids.SubsystemVendor:X8}sd{ids.SubsystemDevice:X8}bc{(ids.ClassCode >> 16) & 0xff:X2}sc{(ids.ClassCode >> 8) & 0xff:X2}i{ids.ClassCode & 0xff:X2}");

    /// <summary><c>kstrtoint(s, 0, &amp;v)</c>: an optional sign, then what <see cref="KernelParse.TryParseUnsigned"/> takes.</summary>
    public static bool TryParseInt(ReadOnlySpan<byte> s, out long value)
    {
        value = 0;
        bool negative = s.Length > 0 && s[0] == (byte)'-';
        if (negative && s.Length > 1 && s[1] == (byte)'+')
        {
            return false;
        }

        if (!KernelParse.TryParseUnsigned(negative ? s[1..] : s, out ulong magnitude) || magnitude > (negative ? 0x8000_0000UL : int.MaxValue))
        {
            return false;
        }

        value = negative ? -(long)magnitude : (long)magnitude;
        return true;
    }

    private static void Line(StringBuilder sb, ulong start, ulong end, ulong flags) =>
        sb.Append(CultureInfo.InvariantCulture, $"0x{start:x16} 0x{end:x16} 0x{flags:x16}\n");
}
