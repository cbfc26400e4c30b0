namespace MdevCore.Topology.Recording;

/// <summary>A sysfs tree on disk: a real <c>/sys</c>, a FUSE mount of a simulated one, or a copy.</summary>
/// <remarks>Thread safety: stateless apart from the root.</remarks>
internal sealed class DirectorySysfsSource(string root) : ISysfsSource
{
    private string Full(string path) => path.Length == 0 ? root : Path.Combine(root, path);

    public SysfsEntryKind KindOf(string path)
    {
        var info = new FileInfo(Full(path));
        if (info.LinkTarget is not null)
        {
            return SysfsEntryKind.Symlink;
        }

        return Directory.Exists(info.FullName) ? SysfsEntryKind.Directory : info.Exists ? SysfsEntryKind.File : SysfsEntryKind.Missing;
    }

    public IReadOnlyList<string> List(string path)
    {
        try
        {
            return [.. Directory.EnumerateFileSystemEntries(Full(path)).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public string ReadLink(string path) => new FileInfo(Full(path)).LinkTarget ?? "";

    public int ModeOf(string path) => OperatingSystem.IsWindows() ? 0x1a4 : (int)File.GetUnixFileMode(Full(path)) & 0x1ff;

    public (string? Text, string? Problem) ReadText(string path)
    {
        try
        {
            return (File.ReadAllText(Full(path)), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, e.Message);
        }
    }
}
