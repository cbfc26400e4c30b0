using System.Text;

namespace MdevCore.Sysfs;

/// <summary>A symbolic link to another node; its text is the relative path, computed as sysfs does.</summary>
internal sealed class SysfsSymlink : SysfsNode
{
    public SysfsSymlink(string name, SysfsDirectory parent, SysfsNode target)
        : base(parent)
    {
        Name = name;
        Target = target;
    }

    public override string Name { get; }

    public SysfsNode Target { get; }

    public override SysfsNodeKind Kind => SysfsNodeKind.Symlink;

    public override UnixFileMode Mode => SysfsAttribute.Modes.Symlink;

    /// <summary>The relative target, for example <c>../../../devices/virtual/mtty/mtty</c>; computed on each readlink, as kernfs does.</summary>
    public string Text => RelativePath(Parent!, Target);

    /// <summary>Relative path from directory <paramref name="from"/> to <paramref name="to"/> (kernfs_get_target_path).</summary>
    private static string RelativePath(SysfsDirectory from, SysfsNode to)
    {
        var fromChain = Chain(from);
        var toChain = Chain(to);
        int common = 0;
        while (common < fromChain.Count && common < toChain.Count && ReferenceEquals(fromChain[common], toChain[common]))
        {
            common++;
        }

        var sb = new StringBuilder();
        for (int i = common; i < fromChain.Count; i++)
        {
            _ = sb.Append("../");
        }

        for (int i = common; i < toChain.Count; i++)
        {
            _ = sb.Append(toChain[i].Name);
            if (i < toChain.Count - 1)
            {
                _ = sb.Append('/');
            }
        }

        return sb.ToString();
    }

    /// <summary>The nodes from just below the root down to <paramref name="node"/>.</summary>
    private static List<SysfsNode> Chain(SysfsNode node)
    {
        var chain = new List<SysfsNode>();
        for (SysfsNode? n = node; n?.Parent is not null; n = n.Parent)
        {
            chain.Add(n);
        }

        chain.Reverse();
        return chain;
    }
}
