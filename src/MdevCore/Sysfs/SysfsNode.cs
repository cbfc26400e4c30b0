using System.Text;

namespace MdevCore.Sysfs;

/// <summary>One entry of the simulated sysfs tree.</summary>
/// <remarks>
/// Kernel: <c>struct kernfs_node</c>. Structure is guarded by <see cref="SysfsTree"/>'s lock; a
/// detached node keeps its parent pointer so that its path can still be named.
/// </remarks>
internal abstract class SysfsNode
{
    private volatile bool _removed;

    protected SysfsNode(SysfsDirectory? parent) => Parent = parent;

    public abstract string Name { get; }

    public SysfsDirectory? Parent { get; }

    /// <summary>Set once when the node leaves the tree; an open handle then fails with ENODEV.</summary>
    public bool IsRemoved => _removed;

    public abstract SysfsNodeKind Kind { get; }

    public abstract UnixFileMode Mode { get; }

    public void MarkRemoved() => _removed = true;

    /// <summary>Depth below the sysfs root (the root is 0).</summary>
    public int Depth
    {
        get
        {
            int depth = 0;
            for (SysfsDirectory? p = Parent; p is not null; p = p.Parent)
            {
                depth++;
            }

            return depth;
        }
    }

    /// <summary>The absolute path, for example <c>/sys/bus/mdev</c>.</summary>
    public string FullPath
    {
        get
        {
            if (Parent is null)
            {
                return SysfsTree.Root;
            }

            var parts = new Stack<string>();
            for (SysfsNode? n = this; n?.Parent is not null; n = n.Parent)
            {
                parts.Push(n.Name);
            }

            var sb = new StringBuilder(SysfsTree.Root);
            foreach (string part in parts)
            {
                _ = sb.Append('/').Append(part);
            }

            return sb.ToString();
        }
    }
}
