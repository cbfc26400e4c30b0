namespace MdevCore.Sysfs;

/// <summary>
/// A symlink that a directory derives from its owner's state instead of storing: it exists while
/// <see cref="Target"/> returns a live node (for a device: <c>subsystem</c>, <c>driver</c>,
/// <c>iommu_group</c>, <c>mdev_type</c>). Its node is made on lookup and not kept.
/// </summary>
internal sealed class SysfsLinkDefinition(string name, Func<object?, SysfsNode?> target)
{
    public string Name { get; } = name;

    /// <summary>The node the link points at now, or <see langword="null"/> while it does not exist; called under the tree lock.</summary>
    public Func<object?, SysfsNode?> Target { get; } = target;
}
