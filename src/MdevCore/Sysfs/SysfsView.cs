using System.Text;

namespace MdevCore.Sysfs;

/// <summary>The file-system view of a host's sysfs: what a shell, mdevctl or udev sees under <c>/sys</c>.</summary>
/// <remarks>
/// Paths are absolute and start with <c>/sys</c>. Resolution follows Linux: empty components and
/// <c>.</c> are skipped, <c>..</c> goes to the parent of the resolved directory, symlinks in the
/// middle of a path are followed. Every operation returns an errno-valued result; see docs/errno.md.
/// Thread safety: thread-safe.
/// </remarks>
public sealed class SysfsView
{
    private readonly SysfsTree _tree;

    internal SysfsView(SysfsTree tree) => _tree = tree;

    /// <summary>Opens an attribute. The mode is checked here, as kernfs does: root gets no exemption.</summary>
    /// <param name="path">Absolute path under <c>/sys</c>.</param>
    /// <param name="access">Read, write or both.</param>
    /// <returns>The open file; <see cref="Errno.ENOENT"/>, <see cref="Errno.ENOTDIR"/>, <see cref="Errno.EINVAL"/>,
    /// <see cref="Errno.ELOOP"/> or <see cref="Errno.ENAMETOOLONG"/> from the path; <see cref="Errno.EISDIR"/> for a
    /// directory opened for writing (and for reading, since directories are listed, not read);
    /// <see cref="Errno.EACCES"/> when the mode lacks the requested permission.</returns>
    public Result<SysfsOpenFile> Open(string path, SysfsAccess access)
    {
        Result<SysfsNode> resolved = _tree.Resolve(path, followLast: true);
        if (!resolved.TryGetValue(out SysfsNode? node))
        {
            return resolved.Error;
        }

        if (node is not SysfsFile file)
        {
            return Errno.EISDIR;
        }

        if (((access & SysfsAccess.Read) != 0 && !file.Attribute.IsReadable)
            || ((access & SysfsAccess.Write) != 0 && !file.Attribute.IsWritable))
        {
            return Errno.EACCES;
        }

        return new SysfsOpenFile(file, access, _tree.Logger);
    }

    /// <summary>Opens, reads the whole value and closes (<c>cat</c>).</summary>
    /// <param name="path">Absolute path under <c>/sys</c>.</param>
    /// <returns>The text, or an errno of <see cref="Open"/> or <see cref="SysfsOpenFile.ReadText"/>.</returns>
    public Result<string> ReadText(string path)
    {
        Result<SysfsOpenFile> open = Open(path, SysfsAccess.Read);
        return open.TryGetValue(out SysfsOpenFile? file) ? file.ReadText() : open.Error;
    }

    /// <summary>Opens for writing, writes one buffer and closes.</summary>
    /// <param name="path">Absolute path under <c>/sys</c>.</param>
    /// <param name="data">The bytes, exactly as <c>write(2)</c> would pass them.</param>
    /// <returns>The byte count taken, or an errno of <see cref="Open"/> or <see cref="SysfsOpenFile.Write(ReadOnlySpan{byte})"/>.</returns>
    public Result<int> Write(string path, ReadOnlySpan<byte> data)
    {
        Result<SysfsOpenFile> open = Open(path, SysfsAccess.Write);
        return open.TryGetValue(out SysfsOpenFile? file) ? file.Write(data) : open.Error;
    }

    /// <summary>Writes a string as UTF-8 (<c>echo -n TEXT &gt; path</c>; add the newline yourself for <c>echo</c>).</summary>
    /// <param name="path">Absolute path under <c>/sys</c>.</param>
    /// <param name="text">The text.</param>
    /// <returns>The byte count taken, or an errno as for <see cref="Write(string, ReadOnlySpan{byte})"/>.</returns>
    public Result<int> Write(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Write(path, Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Reads a symlink's relative target (<c>readlink</c>).</summary>
    /// <param name="path">Absolute path under <c>/sys</c>.</param>
    /// <returns>The target text; <see cref="Errno.EINVAL"/> if the entry is not a symlink; or a path errno.</returns>
    public Result<string> ReadLink(string path)
    {
        Result<SysfsNode> resolved = _tree.Resolve(path, followLast: false);
        if (!resolved.TryGetValue(out SysfsNode? node))
        {
            return resolved.Error;
        }

        return node is SysfsSymlink link ? link.Text : Errno.EINVAL;
    }

    /// <summary>Lists a directory's entry names in ordinal order (<c>ls -f</c> without <c>.</c> and <c>..</c>).</summary>
    /// <param name="path">Absolute path under <c>/sys</c>; a symlink to a directory is followed.</param>
    /// <returns>The names; <see cref="Errno.ENOTDIR"/> for a file; or a path errno.</returns>
    public Result<IReadOnlyList<string>> List(string path)
    {
        Result<SysfsNode> resolved = _tree.Resolve(path, followLast: true);
        if (!resolved.TryGetValue(out SysfsNode? node))
        {
            return resolved.Error;
        }

        if (node is not SysfsDirectory dir)
        {
            return Errno.ENOTDIR;
        }

        List<SysfsNode> children = _tree.ListChildren(dir);
        var names = new string[children.Count];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = children[i].Name;
        }

        return Result<IReadOnlyList<string>>.Ok(names);
    }

    /// <summary>Describes an entry, following a final symlink (<c>stat</c>).</summary>
    /// <param name="path">Absolute path under <c>/sys</c>.</param>
    /// <returns>The description, or a path errno.</returns>
    public Result<SysfsStat> Stat(string path) => StatCore(path, followLast: true);

    /// <summary>Describes an entry without following a final symlink (<c>lstat</c>).</summary>
    /// <param name="path">Absolute path under <c>/sys</c>.</param>
    /// <returns>The description, or a path errno.</returns>
    public Result<SysfsStat> LStat(string path) => StatCore(path, followLast: false);

    /// <summary>Whether a path resolves (following symlinks), as <c>test -e</c>.</summary>
    /// <param name="path">Absolute path under <c>/sys</c>.</param>
    /// <returns><see langword="true"/> if it exists.</returns>
    public bool Exists(string path) => _tree.Resolve(path, followLast: true).Succeeded;

    /// <summary>The canonical path with every symlink resolved (<c>realpath</c>).</summary>
    /// <param name="path">Absolute path under <c>/sys</c>.</param>
    /// <returns>The canonical absolute path, or a path errno.</returns>
    public Result<string> RealPath(string path)
    {
        Result<SysfsNode> resolved = _tree.Resolve(path, followLast: true);
        return resolved.TryGetValue(out SysfsNode? node) ? node.FullPath : resolved.Error;
    }

    private Result<SysfsStat> StatCore(string path, bool followLast)
    {
        Result<SysfsNode> resolved = _tree.Resolve(path, followLast);
        if (!resolved.TryGetValue(out SysfsNode? node))
        {
            return resolved.Error;
        }

        long size = node switch
        {
            SysfsFile file => file.Attribute.SizeFor(file.Owner),
            SysfsSymlink link => Encoding.UTF8.GetByteCount(link.Text),
            _ => 0,
        };
        return new SysfsStat(node.Kind, node.Mode, size);
    }
}
