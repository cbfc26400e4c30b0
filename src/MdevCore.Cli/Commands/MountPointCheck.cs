namespace MdevCore.Cli.Commands;

/// <summary>
/// What <c>mdevsim serve</c> refuses to mount on: a directory with entries (the mount would hide them) and a
/// directory that already is a mount point (a second daemon stacked on a live mount).
/// </summary>
internal static class MountPointCheck
{
    /// <summary>Why <paramref name="dir"/> cannot be served on, as one message line, or <see langword="null"/> when it can.</summary>
    /// <param name="dir">The <c>--mount</c> value.</param>
    /// <param name="mountInfo">The lines of <c>/proc/self/mountinfo</c>.</param>
    public static string? Problem(string dir, IEnumerable<string> mountInfo)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir));
        if (!Directory.Exists(full))
        {
            return File.Exists(full)
                ? $"--mount {dir}: stat: ENOTDIR (Not a directory)"
                : $"--mount {dir}: stat: ENOENT (No such file or directory)";
        }

        // Checked before listing it: listing a live mount whose server hangs would hang too.
        if (MountAt(full, mountInfo) is { } type)
        {
            return $"--mount {dir}: already a mount point ({type}); unmount it first (fusermount3 -u {full}) or pick another directory";
        }

        if (Directory.EnumerateFileSystemEntries(full).Any())
        {
            return $"--mount {dir}: not empty; the mount would hide what is in it: use an empty directory";
        }

        return null;
    }

    /// <summary>The file system type mounted exactly at <paramref name="full"/>, or <see langword="null"/>.</summary>
    private static string? MountAt(string full, IEnumerable<string> mountInfo)
    {
        foreach (string line in mountInfo)
        {
            // id parent major:minor root mount-point options... - type source super-options
            string[] fields = line.Split(' ');
            int separator = Array.IndexOf(fields, "-");
            if (fields.Length > 4 && separator > 4 && separator + 1 < fields.Length && Unescape(fields[4]) == full)
            {
                return fields[separator + 1];
            }
        }

        return null;
    }

    /// <summary>Undoes mountinfo's octal escapes (<c>\040</c> for a space, <c>\011</c>, <c>\012</c>, <c>\134</c>).</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new System.Text.StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                _ = text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                _ = text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private static bool IsOctal(string s, int start) =>
        start + 3 <= s.Length && s[start] is >= '0' and <= '7' && s[start + 1] is >= '0' and <= '7' && s[start + 2] is >= '0' and <= '7';
}
