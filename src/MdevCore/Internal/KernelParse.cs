namespace MdevCore.Internal;

/// <summary>Number and UUID parsing with the kernel's exact rules.</summary>
internal static class KernelParse
{
    /// <summary>
    /// <c>kstrtoul(s, 0, &amp;v)</c>: an optional <c>+</c>, then decimal, <c>0x</c>/<c>0X</c> hex or leading-0 octal,
    /// then at most one trailing newline. No whitespace, no sign <c>-</c>; overflow fails (ERANGE, which sysfs callers report as EINVAL).
    /// The string ends at its first NUL, as the C string kernfs hands to a store does (<c>"1\0junk"</c> is 1).
    /// </summary>
    public static bool TryParseUnsigned(ReadOnlySpan<byte> s, out ulong value)
    {
        value = 0;
        int nul = s.IndexOf((byte)0);
        if (nul >= 0)
        {
            s = s[..nul];
        }

        if (s.Length > 0 && s[^1] == (byte)'\n')
        {
            s = s[..^1];
        }

        if (s.Length > 0 && s[0] == (byte)'+')
        {
            s = s[1..];
        }

        uint radix = 10;
        if (s.Length >= 2 && s[0] == (byte)'0' && (s[1] | 0x20) == (byte)'x')
        {
            radix = 16;
            s = s[2..];
        }
        else if (s.Length >= 1 && s[0] == (byte)'0')
        {
            radix = 8;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        ulong result = 0;
        foreach (byte b in s)
        {
            uint digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => (uint)(b - '0'),
                >= (byte)'a' and <= (byte)'f' => (uint)(b - 'a' + 10),
                >= (byte)'A' and <= (byte)'F' => (uint)(b - 'A' + 10),
                _ => uint.MaxValue,
            };
            if (digit >= radix)
            {
                return false;
            }

            ulong high = Math.BigMul(result, radix, out ulong low);
            ulong next = low + digit;
            if (high != 0 || next < low)
            {
                return false;
            }

            result = next;
        }

        value = result;
        return true;
    }

    /// <summary>
    /// <c>guid_parse</c> on the first 36 bytes: dashes at 8, 13, 18 and 23, hex digits (either case) elsewhere.
    /// </summary>
    public static bool TryParseUuid(ReadOnlySpan<byte> s, out Guid uuid)
    {
        uuid = Guid.Empty;
        if (s.Length < 36)
        {
            return false;
        }

        Span<char> chars = stackalloc char[36];
        for (int i = 0; i < 36; i++)
        {
            byte b = s[i];
            bool dash = i is 8 or 13 or 18 or 23;
            if (dash ? b != (byte)'-' : !IsHex(b))
            {
                return false;
            }

            chars[i] = (char)b;
        }

        return Guid.TryParseExact(chars, "D", out uuid);
    }

    private static bool IsHex(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F');
}
