namespace MdevCore.Sysfs;

/// <summary>Rules for sysfs entry names.</summary>
internal static class SysfsNames
{
    public const int MaxNameLength = 255;

    public static void Validate(string name, string? parameter = "name")
    {
        ArgumentException.ThrowIfNullOrEmpty(name, parameter);
        if (name.Length > MaxNameLength || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal)
            || name is "." or "..")
        {
            throw new ArgumentException($"'{name}' is not a valid sysfs name.", parameter);
        }
    }

    /// <summary>The bit of a length mask for a name of <paramref name="name"/>'s length (lengths are taken modulo 64).</summary>
    public static ulong LengthBit(ReadOnlySpan<char> name) => 1UL << (name.Length & 63);
}
