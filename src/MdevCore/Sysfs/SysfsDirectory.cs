namespace MdevCore.Sysfs;

/// <summary>A directory: a kobject, a kset or a named attribute group.</summary>
internal sealed class SysfsDirectory : SysfsNode
{
    private Dictionary<string, SysfsNode>? _children;

    public SysfsDirectory(string name, SysfsDirectory? parent)
        : base(name, parent)
    {
    }

    public override SysfsNodeKind Kind => SysfsNodeKind.Directory;

    public override UnixFileMode Mode => SysfsAttribute.Modes.Directory;

    /// <summary>Number of entries; caller holds the tree lock.</summary>
    public int Count_NeedsLock => _children?.Count ?? 0;

    public SysfsNode? Find_NeedsLock(ReadOnlySpan<char> name)
    {
        if (_children is null)
        {
            return null;
        }

        Dictionary<string, SysfsNode>.AlternateLookup<ReadOnlySpan<char>> lookup = _children.GetAlternateLookup<ReadOnlySpan<char>>();
        return lookup.TryGetValue(name, out SysfsNode? node) ? node : null;
    }

    public bool TryAdd_NeedsLock(SysfsNode node)
    {
        _children ??= new Dictionary<string, SysfsNode>(StringComparer.Ordinal);
        return _children.TryAdd(node.Name, node);
    }

    public void Remove_NeedsLock(SysfsNode node)
    {
        if (_children is not null && _children.TryGetValue(node.Name, out SysfsNode? existing) && ReferenceEquals(existing, node))
        {
            _ = _children.Remove(node.Name);
        }
    }

    public IEnumerable<SysfsNode> Children_NeedsLock => (IEnumerable<SysfsNode>?)_children?.Values ?? [];
}
