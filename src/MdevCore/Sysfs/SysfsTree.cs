using System.Diagnostics;
using MdevCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MdevCore.Sysfs;

/// <summary>The in-memory sysfs of one host: structure, locking and path resolution.</summary>
/// <remarks>
/// Lock rank: innermost. The tree lock is held only to change or walk the structure; show and
/// store callbacks always run after it is released (they may change the tree themselves).
/// Thread safety: thread-safe.
/// </remarks>
internal sealed partial class SysfsTree
{
    public const string Root = "/sys";
    private const int MaxSymlinkFollows = 40;

    private readonly Lock _lock = new();

    public SysfsTree(ILogger? logger = null)
    {
        Logger = logger ?? NullLogger.Instance;
        RootDirectory = new SysfsDirectory(string.Empty, null);
        Devices = MakeDirectory(RootDirectory, "devices");
        Bus = MakeDirectory(RootDirectory, "bus");
        Class = MakeDirectory(RootDirectory, "class");
        Kernel = MakeDirectory(RootDirectory, "kernel");
        DevicesVirtual = MakeDirectory(Devices, "virtual");
        DevicesPlatform = MakeDirectory(Devices, "platform");
    }

    public SysfsDirectory RootDirectory { get; }

    /// <summary>Where faults of show, store and visibility callbacks are logged.</summary>
    public ILogger Logger { get; }

    public SysfsDirectory Devices { get; }

    public SysfsDirectory DevicesVirtual { get; }

    public SysfsDirectory DevicesPlatform { get; }

    public SysfsDirectory Bus { get; }

    public SysfsDirectory Class { get; }

    public SysfsDirectory Kernel { get; }

    /// <summary>Takes the tree lock for a caller that changes structure the tree's renderers read
    /// (the device hierarchy, bus membership); dispose the scope to release it.</summary>
    public Lock.Scope EnterScope() => _lock.EnterScope();

    /// <summary>Whether the caller holds the tree lock (lockdep_assert_held).</summary>
    public bool IsLockHeld => _lock.IsHeldByCurrentThread;

    // ---- structure ----

    /// <summary>Creates a directory; EEXIST if the name is taken.</summary>
    public Result<SysfsDirectory> CreateDirectory(SysfsDirectory parent, string name)
    {
        lock (_lock)
        {
            if (parent.IsRemoved)
            {
                return Errno.ENOENT;
            }

            var dir = new SysfsDirectory(name, parent);
            return parent.TryAdd_NeedsLock(dir) ? dir : Errno.EEXIST;
        }
    }

    /// <summary>Creates a directory whose default attributes appear on first use; EEXIST if the name is taken.</summary>
    public Result<SysfsDirectory> CreateDirectory(SysfsDirectory parent, string name, AttributeGroup defaults, object? owner, SysfsLinkGroup? links = null)
    {
        lock (_lock)
        {
            if (parent.IsRemoved)
            {
                return Errno.ENOENT;
            }

            var dir = new SysfsDirectory(name, parent, defaults, owner, links);
            return parent.TryAdd_NeedsLock(dir) ? dir : Errno.EEXIST;
        }
    }

    /// <summary>Creates a directory whose entries a source renders on demand; EEXIST if the name is taken.</summary>
    public Result<SysfsDirectory> CreateDirectory(SysfsDirectory parent, string name, ISysfsChildSource source)
    {
        lock (_lock)
        {
            var dir = new SysfsDirectory(name, parent, source: source);
            return parent.TryAdd_NeedsLock(dir) ? dir : Errno.EEXIST;
        }
    }

    /// <summary>Gets a directory child or creates it.</summary>
    public SysfsDirectory GetOrCreateDirectory(SysfsDirectory parent, string name)
    {
        lock (_lock)
        {
            if (parent.Find_NeedsLock(name) is SysfsDirectory existing)
            {
                return existing;
            }

            var dir = new SysfsDirectory(name, parent);
            if (!parent.TryAdd_NeedsLock(dir))
            {
                throw new InvalidOperationException($"'{name}' exists under {parent.FullPath} and is not a directory.");
            }

            return dir;
        }
    }

    /// <summary>Creates an attribute file; EEXIST if the name is taken.</summary>
    public Errno CreateFile(SysfsDirectory parent, SysfsAttribute attribute, object? owner)
    {
        lock (_lock)
        {
            if (parent.IsRemoved)
            {
                return Errno.ENOENT;
            }

            return parent.TryAdd_NeedsLock(new SysfsFile(attribute, owner, parent)) ? Errno.None : Errno.EEXIST;
        }
    }

    /// <summary>Creates a symlink to <paramref name="target"/>; EEXIST if the name is taken.</summary>
    public Errno CreateLink(SysfsDirectory parent, string name, SysfsNode target)
    {
        lock (_lock)
        {
            if (parent.IsRemoved || target.IsRemoved)
            {
                return Errno.ENOENT;
            }

            return parent.TryAdd_NeedsLock(new SysfsSymlink(name, parent, target)) ? Errno.None : Errno.EEXIST;
        }
    }

    /// <summary>Adds the visible attributes of a group (in a subdirectory when it is named); all or nothing.</summary>
    /// <returns><see cref="Errno.EEXIST"/> on a name collision; <see cref="Errno.ENOENT"/> if the directory is gone;
    /// <see cref="Errno.EIO"/> if the group's visibility callback threw (it runs before the tree lock is taken).</returns>
    public Errno AddGroup(SysfsDirectory dir, AttributeGroup group, object? owner)
    {
        Result<bool[]?> hidden = GetHidden(group, owner, dir.FullPath);
        if (!hidden.TryGetValue(out bool[]? mask))
        {
            return hidden.Error;
        }

        lock (_lock)
        {
            return dir.IsRemoved ? Errno.ENOENT : AddGroup_NeedsLock(dir, group, owner, mask);
        }
    }

    /// <summary>Asks a group's visibility callback about each attribute, outside every lock (it may be vendor code).</summary>
    /// <returns>Per attribute whether it is hidden; <see langword="null"/> when all are visible; <see cref="Errno.EIO"/> if the callback threw.</returns>
    public Result<bool[]?> GetHidden(AttributeGroup group, object? owner, string where)
    {
        if (group.IsVisible is not { } visible)
        {
            return Result<bool[]?>.Ok(null);
        }

        var hidden = new bool[group.AttributeArray.Length];
        try
        {
            for (int i = 0; i < hidden.Length; i++)
            {
                hidden[i] = !visible(owner, group.AttributeArray[i]);
            }
        }
#pragma warning disable CA1031 // Vendor code: its fault is the caller's EIO, never an exception out of the core.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.AttributeCallbackFailed(Logger, ex, "is_visible", where + "/" + (group.Name ?? string.Empty));
            return Errno.EIO;
        }

        return Result<bool[]?>.Ok(hidden);
    }

    /// <summary><see cref="AddGroup"/> for a caller that holds the tree lock and asked <see cref="GetHidden"/> first.</summary>
    public Errno AddGroup_NeedsLock(SysfsDirectory dir, AttributeGroup group, object? owner, bool[]? hidden)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        SysfsDirectory target = dir;
        if (group.Name is not null)
        {
            target = new SysfsDirectory(group.Name, dir);
            if (!dir.TryAdd_NeedsLock(target))
            {
                return Errno.EEXIST;
            }
        }

        for (int i = 0; i < group.Attributes.Count; i++)
        {
            SysfsAttribute attribute = group.Attributes[i];
            if (hidden is not null && hidden[i])
            {
                continue;
            }

            if (!target.TryAdd_NeedsLock(new SysfsFile(attribute, owner, target)))
            {
                // Unwind: a group is added whole or not at all.
                for (int j = 0; j < i; j++)
                {
                    if (target.Find_NeedsLock(group.Attributes[j].Name) is SysfsFile added && ReferenceEquals(added.Attribute, group.Attributes[j]))
                    {
                        target.Remove_NeedsLock(added);
                        added.MarkRemoved();
                    }
                }

                if (!ReferenceEquals(target, dir))
                {
                    dir.Remove_NeedsLock(target);
                    target.MarkRemoved();
                }

                return Errno.EEXIST;
            }
        }

        return Errno.None;
    }

    /// <summary>Removes the attributes a group added (and its subdirectory).</summary>
    public void RemoveGroup(SysfsDirectory dir, AttributeGroup group)
    {
        lock (_lock)
        {
            if (group.Name is not null)
            {
                if (dir.Find_NeedsLock(group.Name) is SysfsDirectory sub)
                {
                    Detach_NeedsLock(sub);
                }

                return;
            }

            foreach (SysfsAttribute attribute in group.Attributes)
            {
                if (dir.Find_NeedsLock(attribute.Name) is SysfsFile file && ReferenceEquals(file.Attribute, attribute))
                {
                    Detach_NeedsLock(file);
                }
            }
        }
    }

    /// <summary>Removes a node and everything below it; does nothing if it is already gone.</summary>
    public void Remove(SysfsNode node)
    {
        lock (_lock)
        {
            Detach_NeedsLock(node);
        }
    }

    /// <summary>Removes the link <paramref name="name"/> in <paramref name="dir"/> if it points at <paramref name="target"/>
    /// (a link of the same name made by someone else stays).</summary>
    /// <returns>Whether it was removed.</returns>
    public bool RemoveLink(SysfsDirectory dir, string name, SysfsNode? target)
    {
        lock (_lock)
        {
            if (dir.Find_NeedsLock(name) is SysfsSymlink link && ReferenceEquals(link.Target, target))
            {
                Detach_NeedsLock(link);
                return true;
            }

            return false;
        }
    }

    /// <summary>Removes the named child of <paramref name="dir"/> if it exists.</summary>
    public bool RemoveChild(SysfsDirectory dir, string name)
    {
        lock (_lock)
        {
            if (dir.Find_NeedsLock(name) is { } node)
            {
                Detach_NeedsLock(node);
                return true;
            }

            return false;
        }
    }

    /// <summary>
    /// Removes the attribute file of <paramref name="attribute"/> from <paramref name="dir"/> unless someone else
    /// already did; kernel: <c>device_remove_file_self</c>.
    /// </summary>
    /// <returns><see langword="true"/> only for the one caller that removed it.</returns>
    public bool RemoveSelf(SysfsDirectory dir, SysfsAttribute attribute)
    {
        // A default attribute nobody has looked up has no node: one atomic operation removes it, and decides the
        // winner among concurrent writers. A write racing the directory's removal may pass here; the caller's own
        // checks (the device is no longer active) then decide, as they do when the write comes just before.
        if (dir.IsRemoved)
        {
            return false;
        }

        if (dir.TryRemoveVirtualDefault(attribute))
        {
            return true;
        }

        lock (_lock)
        {
            if (dir.IsRemoved)
            {
                return false;
            }

            if (dir.Find_NeedsLock(attribute.Name) is not SysfsFile file || !ReferenceEquals(file.Attribute, attribute))
            {
                return false;
            }

            Detach_NeedsLock(file);
            return true;
        }
    }

    public SysfsNode? FindChild(SysfsDirectory dir, string name)
    {
        lock (_lock)
        {
            return dir.Find_NeedsLock(name);
        }
    }

    public int CountChildren(SysfsDirectory dir)
    {
        lock (_lock)
        {
            return dir.Count_NeedsLock;
        }
    }

    /// <summary>The children of a directory, sorted by ordinal name.</summary>
    public List<SysfsNode> ListChildren(SysfsDirectory dir)
    {
        lock (_lock)
        {
            var list = new List<SysfsNode>(dir.Children_NeedsLock);
            list.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            return list;
        }
    }

    /// <summary>Removes a node and everything below it, for a caller that holds the tree lock.</summary>
    public void Detach_NeedsLock(SysfsNode node)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        if (node.IsRemoved)
        {
            return;
        }

        node.Parent?.Remove_NeedsLock(node);
        MarkSubtreeRemoved_NeedsLock(node);
    }

    /// <summary>Marks a node that no directory stores (a rendered device directory) and everything below it removed.</summary>
    public void MarkDetached_NeedsLock(SysfsNode node)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        MarkSubtreeRemoved_NeedsLock(node);
    }

    private static void MarkSubtreeRemoved_NeedsLock(SysfsNode node)
    {
        node.MarkRemoved();
        (node as SysfsDirectory)?.MarkStoredSubtreeRemoved_NeedsLock();
    }

    private SysfsDirectory MakeDirectory(SysfsDirectory parent, string name) => CreateDirectory(parent, name).Value;
}
