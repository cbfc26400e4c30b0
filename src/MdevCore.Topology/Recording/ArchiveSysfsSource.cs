using System.Formats.Tar;
using System.Text;

namespace MdevCore.Topology.Recording;

/// <summary>A sysfs tree kept in a tar archive by <c>mdevsim record --archive</c>: the raw bytes of every file the recorder read.</summary>
/// <remarks>Thread safety: immutable after construction.</remarks>
internal sealed class ArchiveSysfsSource : ISysfsSource
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public ArchiveSysfsSource(Stream tar)
    {
        using var reader = new TarReader(tar);
        while (reader.GetNextEntry(copyData: true) is { } e)
        {
            string name = e.Name.TrimEnd('/');
            Entry entry = e.EntryType switch
            {
                TarEntryType.Directory => new Entry(SysfsEntryKind.Directory, 0, null, null),
                TarEntryType.SymbolicLink => new Entry(SysfsEntryKind.Symlink, 0, e.LinkName, null),
                _ => new Entry(SysfsEntryKind.File, (int)e.Mode & 0x1ff, null, Read(e)),
            };
            _entries[name] = entry;
            for (int slash = name.LastIndexOf('/'); slash > 0; slash = name.LastIndexOf('/', slash - 1))
            {
                _ = _entries.TryAdd(name[..slash], new Entry(SysfsEntryKind.Directory, 0, null, null));
            }
        }
    }

    /// <summary>Whether the stream starts like a tar archive (the ustar magic at byte 257); the position is restored.</summary>
    public static bool LooksLikeTar(Stream stream)
    {
        long start = stream.Position;
        byte[] header = new byte[263];
        int read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        stream.Position = start;
        return read == header.Length && Encoding.ASCII.GetString(header, 257, 5) == "ustar";
    }

    public SysfsEntryKind KindOf(string path) => path.Length == 0 ? SysfsEntryKind.Directory : Resolve(path) is { } e ? e.Kind : SysfsEntryKind.Missing;

    public IReadOnlyList<string> List(string path)
    {
        string dir = ResolvePath(path);
        string prefix = dir.Length == 0 ? "" : dir + "/";
        return [.. _entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && k.Length > prefix.Length && k.IndexOf('/', prefix.Length) < 0)
            .Select(k => k[prefix.Length..]).Order(StringComparer.Ordinal)];
    }

    public string ReadLink(string path) => Resolve(path)?.Target ?? "";

    public int ModeOf(string path) => Resolve(path)?.Mode ?? 0;

    public (string? Text, string? Problem) ReadText(string path) =>
        Resolve(path) is { Text: { } text } ? (text, null) : (null, "not in the archive");

    private Entry? Resolve(string path) => _entries.GetValueOrDefault(path);

    /// <summary>Follows symlinked directories in a path (a type's <c>devices/&lt;uuid&gt;</c> link), as the file system would.</summary>
    private string ResolvePath(string path)
    {
        string current = "";
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = current.Length == 0 ? part : current + "/" + part;
            for (int hops = 0; hops < 8 && _entries.GetValueOrDefault(current) is { Kind: SysfsEntryKind.Symlink, Target: { } target }; hops++)
            {
                current = SysfsPaths.Join(SysfsPaths.Parent(current), target);
            }
        }

        return current;
    }

    private static string Read(TarEntry e)
    {
        if (e.DataStream is null)
        {
            return "";
        }

        using var reader = new StreamReader(e.DataStream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private sealed record Entry(SysfsEntryKind Kind, int Mode, string? Target, string? Text);
}
