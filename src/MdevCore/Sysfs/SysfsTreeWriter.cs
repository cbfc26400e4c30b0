using System.Globalization;
using System.Text;

namespace MdevCore.Sysfs;

/// <summary>Writes a sysfs subtree as stable, diff-friendly text: one line per entry, sorted by path.</summary>
/// <remarks>
/// Line kinds: <c>D path</c> for a directory, <c>A path MODE = "value"</c> for a readable attribute
/// (escaped like a C string), <c>W path MODE</c> for a write-only one, <c>B path MODE SIZE = hex</c> for a
/// binary attribute (its bytes in hex up to the last non-zero one), <c>L path -&gt; target</c> for a
/// symlink. Only the public <see cref="SysfsView"/> is used, so the dump shows what a tool would see.
/// Symlinks are not followed. Thread safety: stateless; a dump taken while the tree changes may mix states.
/// </remarks>
public static class SysfsTreeWriter
{
    /// <summary>Dumps the subtree at <paramref name="root"/>.</summary>
    /// <param name="view">The host's sysfs.</param>
    /// <param name="root">An absolute directory path, for example <c>/sys</c>.</param>
    /// <returns>The text, one entry per line, ending in a newline.</returns>
    public static string Write(SysfsView view, string root = "/sys")
    {
        ArgumentNullException.ThrowIfNull(view);
        var sb = new StringBuilder();
        WriteEntry(view, root, sb);
        return sb.ToString();
    }

    private static void WriteEntry(SysfsView view, string path, StringBuilder sb)
    {
        Result<SysfsStat> stat = view.LStat(path);
        if (!stat.TryGetValue(out SysfsStat s))
        {
            return;
        }

        string mode = Convert.ToString((int)s.Mode, 8).PadLeft(4, '0');
        switch (s.Kind)
        {
            case SysfsNodeKind.Directory:
                _ = sb.Append("D ").Append(path).Append('\n');
                if (view.List(path).TryGetValue(out IReadOnlyList<string>? names))
                {
                    foreach (string name in names)
                    {
                        WriteEntry(view, path == "/" ? "/" + name : path + "/" + name, sb);
                    }
                }

                break;
            case SysfsNodeKind.Symlink:
                _ = sb.Append("L ").Append(path).Append(" -> ").Append(view.ReadLink(path).Value).Append('\n');
                break;
            case SysfsNodeKind.Attribute when IsBinary(view, path):
                _ = sb.Append("B ").Append(path).Append(' ').Append(mode).Append(' ').Append(s.Size.ToString(CultureInfo.InvariantCulture))
                    .Append(" = ").Append(ReadHex(view, path, s.Size)).Append('\n');
                break;
            default:
                Result<string> text = view.ReadText(path);
                if (text.Error == Errno.EACCES)
                {
                    _ = sb.Append("W ").Append(path).Append(' ').Append(mode).Append('\n');
                }
                else
                {
                    _ = sb.Append("A ").Append(path).Append(' ').Append(mode).Append(" = ")
                        .Append(text.TryGetValue(out string? value) ? Quote(value) : "<" + text.Error + ">").Append('\n');
                }

                break;
        }
    }

    private static bool IsBinary(SysfsView view, string path) =>
        view.Open(path, SysfsAccess.Read).TryGetValue(out SysfsOpenFile? file) && file.IsBinary;

    private static string ReadHex(SysfsView view, string path, long size)
    {
        if (!view.Open(path, SysfsAccess.Read).TryGetValue(out SysfsOpenFile? file))
        {
            return "<unreadable>";
        }

        var bytes = new byte[size];
        int total = 0;
        while (total < bytes.Length)
        {
            Result<int> read = file.Read(bytes.AsSpan(total), total);
            if (!read.TryGetValue(out int n))
            {
                return "<" + read.Error + ">";
            }

            if (n == 0)
            {
                break;
            }

            total += n;
        }

        int end = bytes.AsSpan(0, total).LastIndexOfAnyExcept((byte)0) + 1;
        return Convert.ToHexStringLower(bytes, 0, end);
    }

    private static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in value)
        {
            _ = c switch
            {
                '\n' => sb.Append("\\n"),
                '\t' => sb.Append("\\t"),
                '"' => sb.Append("\\\""),
                '\\' => sb.Append("\\\\"),
                < ' ' => sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)),
                _ => sb.Append(c),
            };
        }

        return sb.Append('"').ToString();
    }
}
