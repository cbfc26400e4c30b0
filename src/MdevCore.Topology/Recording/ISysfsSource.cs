namespace MdevCore.Topology.Recording;

/// <summary>A read-only sysfs tree the recorder walks: a directory on disk (a real <c>/sys</c> or a FUSE mount) or an archive.</summary>
/// <remarks>Paths are relative to the tree's root (<c>class/mdev_bus</c>), with '/' separators.</remarks>
internal interface ISysfsSource
{
    /// <summary>What the entry is, or <see cref="SysfsEntryKind.Missing"/>; symlinks are not followed.</summary>
    SysfsEntryKind KindOf(string path);

    /// <summary>The names in a directory (symlinks to directories are followed), sorted ordinally.</summary>
    IReadOnlyList<string> List(string path);

    /// <summary>A symlink's target as stored (relative, as sysfs makes them).</summary>
    string ReadLink(string path);

    /// <summary>A regular file's permission bits (0444, 0200, 0644).</summary>
    int ModeOf(string path);

    /// <summary>A regular file's text, or why it could not be read.</summary>
    (string? Text, string? Problem) ReadText(string path);
}

internal enum SysfsEntryKind
{
    Missing,
    File,
    Directory,
    Symlink,
}
