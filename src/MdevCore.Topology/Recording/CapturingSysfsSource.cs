using System.Formats.Tar;
using System.Text;

namespace MdevCore.Topology.Recording;

/// <summary>Passes reads through to another tree and keeps what it saw, to write as a tar archive that
/// <see cref="ArchiveSysfsSource"/> replays with the same bytes.</summary>
internal sealed class CapturingSysfsSource(ISysfsSource inner) : ISysfsSource
{
    private readonly SortedDictionary<string, (SysfsEntryKind Kind, int Mode, string? Target, string? Text)> _seen = new(StringComparer.Ordinal);

    public SysfsEntryKind KindOf(string path)
    {
        SysfsEntryKind kind = inner.KindOf(path);
        if (kind == SysfsEntryKind.Symlink)
        {
            _ = ReadLink(path);
        }
        else if (kind == SysfsEntryKind.Directory && path.Length > 0)
        {
            _ = _seen.TryAdd(path, (kind, 0, null, null));
        }

        return kind;
    }

    public IReadOnlyList<string> List(string path)
    {
        if (path.Length > 0)
        {
            _ = _seen.TryAdd(path, (SysfsEntryKind.Directory, 0, null, null));
        }

        return inner.List(path);
    }

    public string ReadLink(string path)
    {
        string target = inner.ReadLink(path);
        _seen[path] = (SysfsEntryKind.Symlink, 0, target, null);
        return target;
    }

    public int ModeOf(string path)
    {
        int mode = inner.ModeOf(path);
        _seen[path] = (SysfsEntryKind.File, mode, null, _seen.TryGetValue(path, out var old) ? old.Text : null);
        return mode;
    }

    public (string? Text, string? Problem) ReadText(string path)
    {
        (string? text, string? problem) = inner.ReadText(path);
        int mode = _seen.TryGetValue(path, out var old) ? old.Mode : inner.ModeOf(path);
        _seen[path] = (SysfsEntryKind.File, mode, null, text);
        return (text, problem);
    }

    /// <summary>Writes every entry seen: directories, symlinks with their targets, files with their mode and bytes
    /// (a write-only file, never read, as an empty file with its mode).</summary>
    public void WriteArchive(Stream output)
    {
        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        foreach ((string path, var e) in _seen)
        {
            TarEntry entry;
            switch (e.Kind)
            {
                case SysfsEntryKind.Directory:
                    entry = new PaxTarEntry(TarEntryType.Directory, path + "/") { Mode = (UnixFileMode)0x1ed };
                    break;
                case SysfsEntryKind.Symlink:
                    entry = new PaxTarEntry(TarEntryType.SymbolicLink, path) { LinkName = e.Target!, Mode = (UnixFileMode)0x1ff };
                    break;
                default:
                    entry = new PaxTarEntry(TarEntryType.RegularFile, path)
                    {
                        Mode = (UnixFileMode)e.Mode,
                        DataStream = new MemoryStream(Encoding.UTF8.GetBytes(e.Text ?? "")),
                    };
                    break;
            }

            writer.WriteEntry(entry);
        }
    }
}
