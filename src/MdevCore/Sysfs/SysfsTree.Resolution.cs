using System.Diagnostics;

namespace MdevCore.Sysfs;

/// <summary>Path resolution, as the VFS walks a path through sysfs.</summary>
internal sealed partial class SysfsTree
{
    /// <summary>Resolves an absolute path the way the VFS walks it: symlinks in the middle are followed, and
    /// the last one only when <paramref name="followLast"/> is set.</summary>
    public Result<SysfsNode> Resolve(string path, bool followLast)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return Errno.ENOENT;
        }

        if (path[0] != '/')
        {
            return Errno.EINVAL;
        }

        ReadOnlySpan<char> span = path.AsSpan();
        if (!span.StartsWith(Root, StringComparison.Ordinal) || (span.Length > Root.Length && span[Root.Length] != '/'))
        {
            return Errno.ENOENT;
        }

        return ResolveRelative(span[Root.Length..], followLast);
    }

    /// <summary>Resolves a path below the sysfs root, for example <c>/bus/mdev</c> (used by mounts).</summary>
    public Result<SysfsNode> ResolveRelative(ReadOnlySpan<char> rest, bool followLast)
    {
        var walk = new PathWalk(rest, followLast);
        lock (_lock)
        {
            SysfsNode current = RootDirectory;
            while (walk.TryNextComponent(out ReadOnlySpan<char> component, out bool isLast))
            {
                Result<SysfsNode> next = Step_NeedsLock(current, component, isLast, ref walk);
                if (!next.TryGetValue(out SysfsNode? node))
                {
                    return next.Error;
                }

                current = node;
            }

            return walk.TrailingSlash && current is not SysfsDirectory ? Errno.ENOTDIR : current;
        }
    }

    /// <summary>One component of a walk: <c>.</c>, <c>..</c> (never above the sysfs root), or a child, whose symlinks
    /// are followed unless it is the last component and neither <c>followLast</c> nor a trailing slash asks for it.</summary>
    private Result<SysfsNode> Step_NeedsLock(SysfsNode current, ReadOnlySpan<char> component, bool isLast, ref PathWalk walk)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread, "a path walk needs the tree lock");
        if (component.Length > SysfsNames.MaxNameLength)
        {
            return Errno.ENAMETOOLONG;
        }

        if (current is not SysfsDirectory dir)
        {
            return Errno.ENOTDIR;
        }

        if (component is ".")
        {
            return current;
        }

        if (component is "..")
        {
            // Above the sysfs root lies nothing this host simulates.
            return dir.Parent is { } up ? up : Errno.ENOENT;
        }

        SysfsNode? child = dir.Find_NeedsLock(component);
        if (child is null)
        {
            return Errno.ENOENT;
        }

        return isLast && !walk.FollowLast && !walk.TrailingSlash ? child : FollowLinks(child, ref walk);
    }

    /// <summary>Follows symlinks to what they point at, counting every follow of the walk against the VFS's limit.</summary>
    private static Result<SysfsNode> FollowLinks(SysfsNode node, ref PathWalk walk)
    {
        while (node is SysfsSymlink link)
        {
            if (++walk.Follows > MaxSymlinkFollows)
            {
                return Errno.ELOOP;
            }

            if (link.Target.IsRemoved)
            {
                return Errno.ENOENT;
            }

            node = link.Target;
        }

        return node;
    }

    /// <summary>The state of one path walk: what is left of the path, and the symlinks followed so far.</summary>
    private ref struct PathWalk(ReadOnlySpan<char> path, bool followLast)
    {
        private ReadOnlySpan<char> _rest = path;

        public bool FollowLast { get; } = followLast;

        public bool TrailingSlash { get; } = path.Length > 0 && path[^1] == '/';

        public int Follows { get; set; }

        /// <summary>The next component; empty components collapse as in Linux.</summary>
        public bool TryNextComponent(out ReadOnlySpan<char> component, out bool isLast)
        {
            _rest = _rest.TrimStart('/');
            if (_rest.IsEmpty)
            {
                component = default;
                isLast = false;
                return false;
            }

            int end = _rest.IndexOf('/');
            component = end < 0 ? _rest : _rest[..end];
            _rest = end < 0 ? [] : _rest[end..];
            isLast = _rest.TrimStart('/').IsEmpty;
            return true;
        }
    }
}
