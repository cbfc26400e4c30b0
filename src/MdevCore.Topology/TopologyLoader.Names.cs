using System.Globalization;

namespace MdevCore.Topology;

/// <summary>The small syntaxes of a topology: sysfs names, PCI addresses, CCW bus ids, hex numbers, errno names, UUIDs.</summary>
public static partial class TopologyLoader
{
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>A CCW bus id as the kernel prints it: <c>%x.%x.%04x</c>, for example <c>0.0.0313</c>.</summary>
    private static bool IsCcwBusId(string text)
    {
        string[] parts = text.Split('.');
        return parts.Length == 3 && parts[0].Length == 1 && parts[1].Length == 1 && parts[2].Length == 4
            && parts.All(p => p.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'));
    }

    private static bool IsPciAddress(string text) =>
        text.Length == 12 && text[4] == ':' && text[7] == ':' && text[10] == '.' && text[11] is >= '0' and <= '7'
        && text.AsSpan(0, 4).ContainsAnyExcept(HexDigits) == false
        && text.AsSpan(5, 2).ContainsAnyExcept(HexDigits) == false
        && text.AsSpan(8, 2).ContainsAnyExcept(HexDigits) == false;

    private static void CheckName(string name, string path, string source)
    {
        if (name.Length == 0 || name.Length > 255 || name.Contains('/', StringComparison.Ordinal) || name.Contains('\n', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new TopologyException(source, path, $"\"{name}\" is not a valid sysfs file name (non-empty, no '/', no newline)");
        }
    }

    private static uint ParseHex(string? text, uint max, string path, string source, uint fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        string digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (!uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value) || value > max)
        {
            throw new TopologyException(source, path, $"\"{text}\" is not a hex number up to 0x{max:x}");
        }

        return value;
    }

    private static Errno ParseErrno(string text, string path, string source)
    {
        if (text.Length == 0 || char.IsDigit(text[0]) || !Enum.TryParse(text, ignoreCase: false, out Errno error)
            || error == Errno.None || !Enum.IsDefined(error))
        {
            throw new TopologyException(source, path, $"\"{text}\" is not an errno name such as \"EBUSY\" or \"ENOSPC\"");
        }

        return error;
    }

    /// <summary>A UUID as the mdev core's <c>create</c> takes it: 36 characters, 8-4-4-4-12 hex digits.</summary>
    private static Guid ParseUuid(string text, string path, string source) =>
        text.Length == 36 && Guid.TryParseExact(text, "D", out Guid uuid)
            ? uuid
            : throw new TopologyException(source, path, $"\"{text}\" is not a UUID of the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
}
