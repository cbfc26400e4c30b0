namespace MdevCore.Sysfs;

/// <summary>
/// Supplies entries of a directory that are rendered from other state on demand (as kernfs renders
/// many directories), so that bulk objects cost no stored nodes. Called with the tree lock held:
/// implementations must not take locks ranked above it; they read lock-free snapshots.
/// </summary>
internal interface ISysfsChildSource
{
    /// <summary>The entry named <paramref name="name"/> in <paramref name="directory"/>, made now, or <see langword="null"/>.</summary>
    SysfsNode? Find(SysfsDirectory directory, ReadOnlySpan<char> name);

    /// <summary>Every entry of <paramref name="directory"/>, made now.</summary>
    IEnumerable<SysfsNode> List(SysfsDirectory directory);
}
