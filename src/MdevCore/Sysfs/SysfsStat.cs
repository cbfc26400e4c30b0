namespace MdevCore.Sysfs;

/// <summary>What <c>stat</c>/<c>lstat</c> reports for a sysfs entry.</summary>
/// <param name="Kind">Directory, attribute or symlink.</param>
/// <param name="Mode">Permission bits: 0755 for directories, 0777 for links, the attribute's mode for files.</param>
/// <param name="Size">4096 for attributes (whatever their content, as sysfs reports), 0 for directories, the target length for links.</param>
/// <remarks>Thread safety: immutable.</remarks>
public readonly record struct SysfsStat(SysfsNodeKind Kind, UnixFileMode Mode, long Size);
