using System.Text;
using MdevCore.Fuse.Ownership;
using MdevCore.Sysfs;

namespace MdevCore.Fuse;

/// <summary>
/// The translation layer between FUSE requests and a host's <see cref="SysfsView"/>: each method takes
/// a mount-relative path and returns 0 or a negative errno, as libfuse's high-level callbacks do.
/// </summary>
/// <remarks>
/// Behaves like kernfs where a program can observe it: attributes report <c>st_size</c> 4096 (binary ones their size), are read
/// live (a read at offset 0 renders the value again, later offsets continue that snapshot), writes
/// reach the store callback whole and its errno goes back to the writer, <c>truncate</c> is accepted as
/// a no-op on writable attributes, opening a write-only attribute for reading or a read-only one for
/// writing fails with <c>EACCES</c> even for root, and nothing can be created, removed or renamed.
/// Thread safety: thread-safe; libfuse calls it from many threads at once.
/// </remarks>
internal sealed class SysfsFuseOperations
{
    private const int O_ACCMODE = 3;
    private const int O_WRONLY = 1;
    private const int O_RDWR = 2;

    private readonly SysfsView _view;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte>? _answered;
    private readonly Func<FuseCaller, IReadOnlyCollection<uint>>? _supplementaryGroups;
    private long _requests;

    /// <param name="view">The host's sysfs.</param>
    /// <param name="mountTime">The time every entry reports.</param>
    /// <param name="trackEntries">Remember answered paths so that vanished ones can be invalidated.</param>
    /// <param name="supplementaryGroups">
    /// Set when other users may use the mount: callers are then checked against kernfs ownership
    /// (<see cref="KernfsOwnership"/>), and this looks up a caller's supplementary groups.
    /// </param>
    public SysfsFuseOperations(SysfsView view, DateTimeOffset mountTime, bool trackEntries = false, Func<FuseCaller, IReadOnlyCollection<uint>>? supplementaryGroups = null)
    {
        _view = view;
        MountTimeSeconds = mountTime.ToUnixTimeSeconds();
        _answered = trackEntries ? new(StringComparer.Ordinal) : null;
        _supplementaryGroups = supplementaryGroups;
    }

    /// <summary>Whether requests are checked against the caller (the mount lets other users in).</summary>
    public bool EnforcesOwnership => _supplementaryGroups is not null;

    /// <summary>
    /// Called with a mount-relative path whose cached kernel entry must be dropped. Set when the mount
    /// caches entries (a non-zero entry timeout); the mount points it at <c>fuse_invalidate_path</c>.
    /// </summary>
    public Action<string>? Invalidate { get; set; }

    /// <summary>The time every entry reports as its access, modification and change time.</summary>
    public long MountTimeSeconds { get; }

    /// <summary>How many requests have been served.</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    /// <summary>Maps a mount-relative path (<c>/bus/mdev</c>) to the view's absolute path (<c>/sys/bus/mdev</c>).</summary>
    public static string ToSysfsPath(string fusePath) =>
        fusePath.Length <= 1 ? SysfsRoot : string.Concat(SysfsRoot, fusePath);

    private const string SysfsRoot = "/sys";

    /// <summary>getattr: describes an entry without following a final symlink.</summary>
    public int GetAttr(string path, out EntryAttributes attributes)
    {
        Count();
        Result<SysfsStat> stat = _view.LStat(ToSysfsPath(path));
        if (!stat.TryGetValue(out SysfsStat s))
        {
            attributes = default;
            return -(int)stat.Error;
        }

        uint type = s.Kind switch
        {
            SysfsNodeKind.Directory => 0x4000, // S_IFDIR
            SysfsNodeKind.Symlink => 0xA000, // S_IFLNK
            _ => 0x8000, // S_IFREG
        };
        attributes = new EntryAttributes(type | (uint)s.Mode, s.Size, s.Kind == SysfsNodeKind.Directory ? 2u : 1u);
        if (_answered is not null && path.Length > 1)
        {
            _answered[path] = (byte)s.Kind;
        }

        return 0;
    }

    /// <summary>readlink: the link text exactly as the core computes it (relative, as kernfs makes it).</summary>
    public int ReadLink(string path, out string? target)
    {
        Count();
        Result<string> link = _view.ReadLink(ToSysfsPath(path));
        target = link.Succeeded ? link.Value : null;
        return link.Succeeded ? 0 : -(int)link.Error;
    }

    /// <summary>readdir: the entry names in the view's order.</summary>
    public int ReadDir(string path, out IReadOnlyList<string>? names, FuseCaller? caller = null)
    {
        Count();
        names = null;
        if (Denied(path, SysfsAccess.Read, caller) is int denied and not 0)
        {
            return denied;
        }

        Result<IReadOnlyList<string>> list = _view.List(ToSysfsPath(path));
        names = list.Succeeded ? list.Value : null;
        return list.Succeeded ? 0 : -(int)list.Error;
    }

    /// <summary>
    /// open: checks the caller against the node's owner, group and mode (when the mount enforces ownership),
    /// then the mode as kernfs does (root gets no exemption), and returns the open handle.
    /// </summary>
    public int Open(string path, int flags, out OpenAttribute? handle, FuseCaller? caller = null)
    {
        Count();
        handle = null;
        SysfsAccess access = (flags & O_ACCMODE) switch
        {
            O_WRONLY => SysfsAccess.Write,
            O_RDWR => SysfsAccess.ReadWrite,
            _ => SysfsAccess.Read,
        };
        if (Denied(path, access, caller) is int denied and not 0)
        {
            return denied;
        }

        Result<SysfsOpenFile> open = _view.Open(ToSysfsPath(path), access);
        if (!open.TryGetValue(out SysfsOpenFile? file))
        {
            return -(int)open.Error;
        }

        handle = new OpenAttribute(file);
        return 0;
    }

    /// <summary>read: a read at offset 0 renders the value afresh; later offsets return the rest of that snapshot.
    /// A binary attribute (a PCI device's <c>config</c>) is read at the offset itself.</summary>
    public int Read(OpenAttribute handle, Span<byte> buffer, long offset)
    {
        Count();
        if (offset < 0)
        {
            return -(int)Errno.EINVAL;
        }

        if (handle.File.IsBinary)
        {
            Result<int> read = handle.File.Read(buffer, offset);
            return read.Succeeded ? read.Value : -(int)read.Error;
        }

        lock (handle.Lock)
        {
            if (offset == 0 || handle.Snapshot is null)
            {
                Result<string> text = handle.File.ReadText();
                if (!text.TryGetValue(out string? value))
                {
                    return -(int)text.Error;
                }

                handle.Snapshot = Encoding.UTF8.GetBytes(value);
            }

            byte[] snapshot = handle.Snapshot;
            if (offset >= snapshot.Length)
            {
                return 0;
            }

            int count = (int)Math.Min(snapshot.Length - offset, buffer.Length);
            snapshot.AsSpan((int)offset, count).CopyTo(buffer);
            return count;
        }
    }

    /// <summary>write: one store call with the whole buffer; the store's errno goes back to the writer. The offset
    /// matters only to a binary attribute.</summary>
    public int Write(OpenAttribute handle, ReadOnlySpan<byte> data, long offset = 0)
    {
        Count();
        Result<int> written = handle.File.Write(data, offset);
        // A store may add or remove devices; the kernel must not keep entries for names that are gone
        // once the write returns (the next request, e.g. mdevctl's stat, must see the new state).
        _ = Revalidate();
        return written.Succeeded ? written.Value : -(int)written.Error;
    }

    /// <summary>truncate: a no-op on writable attributes (shell <c>&gt;</c> and <c>O_TRUNC</c> send it).</summary>
    public int Truncate(string path, FuseCaller? caller = null)
    {
        Count();
        Result<SysfsStat> stat = _view.Stat(ToSysfsPath(path));
        if (!stat.TryGetValue(out SysfsStat s))
        {
            return -(int)stat.Error;
        }

        if (Denied(s, SysfsAccess.Write, caller))
        {
            return -(int)Errno.EACCES;
        }

        if (s.Kind == SysfsNodeKind.Directory)
        {
            return -(int)Errno.EISDIR;
        }

        const UnixFileMode anyWrite = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        return (s.Mode & anyWrite) != 0 ? 0 : -(int)Errno.EACCES;
    }

    /// <summary>create: kernfs directories have no <c>create</c>, so the VFS answers <c>EACCES</c>.</summary>
    public int Create()
    {
        Count();
        return -(int)Errno.EACCES;
    }

    /// <summary>mknod, mkdir, unlink, rmdir, symlink, rename, link, chmod, chown: not offered by sysfs (<c>EPERM</c>).</summary>
    public int NotPermitted()
    {
        Count();
        return -(int)Errno.EPERM;
    }

    /// <summary>
    /// When entries are cached: re-checks every path answered so far and invalidates those that no longer
    /// exist or changed kind. Runs after every write through the mount; an embedder that changes the host
    /// in-process calls it through <see cref="SysfsFuseMount.Revalidate"/>.
    /// </summary>
    /// <returns>How many entries were invalidated.</returns>
    public int Revalidate()
    {
        if (_answered is null || Invalidate is null)
        {
            return 0;
        }

        int invalidated = 0;
        foreach ((string path, byte kind) in _answered)
        {
            Result<SysfsStat> stat = _view.LStat(ToSysfsPath(path));
            if (!stat.Succeeded || (byte)stat.Value.Kind != kind)
            {
                _ = _answered.TryRemove(path, out _);
                Invalidate(path);
                invalidated++;
            }
        }

        return invalidated;
    }

    /// <summary>The ownership check of a path: 0 when allowed (or not enforced), else a negative errno.</summary>
    private int Denied(string path, SysfsAccess access, FuseCaller? caller)
    {
        if (caller is null || _supplementaryGroups is null)
        {
            return 0;
        }

        Result<SysfsStat> stat = _view.Stat(ToSysfsPath(path));
        if (!stat.TryGetValue(out SysfsStat s))
        {
            return -(int)stat.Error;
        }

        return Denied(s, access, caller) ? -(int)Errno.EACCES : 0;
    }

    private bool Denied(SysfsStat stat, SysfsAccess access, FuseCaller? caller) =>
        caller is { } who && _supplementaryGroups is not null
        && !KernfsOwnership.Permits(stat.Mode, access, who, _supplementaryGroups);

    private void Count() => Interlocked.Increment(ref _requests);

    /// <summary>What getattr reports.</summary>
    /// <param name="Mode">File type and permission bits (<c>st_mode</c>).</param>
    /// <param name="Size">4096 for attributes (a binary one's size), 0 for directories, the target length for links.</param>
    /// <param name="LinkCount">2 for directories, 1 otherwise.</param>
    internal readonly record struct EntryAttributes(uint Mode, long Size, uint LinkCount);

    /// <summary>One open attribute: the core's handle plus the snapshot that reads at later offsets continue.</summary>
    internal sealed class OpenAttribute(SysfsOpenFile file)
    {
        public SysfsOpenFile File { get; } = file;

        public Lock Lock { get; } = new();

        public byte[]? Snapshot { get; set; }
    }
}
