namespace MdevCore.Sysfs;

/// <summary>What a sysfs entry is.</summary>
/// <remarks>Thread safety: immutable.</remarks>
public enum SysfsNodeKind
{
    /// <summary>A directory (a kobject or an attribute group).</summary>
    Directory = 0,

    /// <summary>An attribute file.</summary>
    Attribute = 1,

    /// <summary>A symbolic link with a relative target.</summary>
    Symlink = 2,
}
