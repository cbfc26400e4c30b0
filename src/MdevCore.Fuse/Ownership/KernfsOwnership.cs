using MdevCore.Sysfs;

namespace MdevCore.Fuse.Ownership;

/// <summary>
/// The discretionary access check kernfs gets from the VFS: every node belongs to root:root and its mode
/// bits are checked against the caller's uid, primary group and supplementary groups.
/// </summary>
/// <remarks>
/// Root passes this check (the capability override); the attribute's own rule, that a file without a
/// read or write bit cannot be opened that way by anyone, is applied afterwards by
/// <see cref="SysfsView.Open"/>. Search permission on directories is left to the kernel
/// (<c>default_permissions</c>): every sysfs directory is 0755.
/// Thread safety: stateless.
/// </remarks>
internal static class KernfsOwnership
{
    /// <summary>The owner of every node.</summary>
    public const uint OwnerUid = 0;

    /// <summary>The group of every node.</summary>
    public const uint OwnerGid = 0;

    /// <summary>Whether <paramref name="caller"/> may access a node of <paramref name="mode"/> as <paramref name="access"/> asks.</summary>
    /// <param name="mode">The node's permission bits.</param>
    /// <param name="access">Read, write or both.</param>
    /// <param name="caller">Who asks.</param>
    /// <param name="supplementaryGroups">The caller's supplementary groups; asked only when the answer depends on them.</param>
    /// <returns><see langword="true"/> when the mode bits of the caller's class grant every access asked for.</returns>
    public static bool Permits(UnixFileMode mode, SysfsAccess access, FuseCaller caller, Func<FuseCaller, IReadOnlyCollection<uint>> supplementaryGroups)
    {
        if (caller.IsRoot)
        {
            return true;
        }

        int bits = (int)mode;
        int groupBits = (bits >> 3) & 7;
        int otherBits = bits & 7;
        // A non-root caller is never the owner; the group class applies to a member of root's group.
        int granted = groupBits != otherBits && InOwnerGroup(caller, supplementaryGroups) ? groupBits : otherBits;
        int wanted = ((access & SysfsAccess.Read) != 0 ? 4 : 0) | ((access & SysfsAccess.Write) != 0 ? 2 : 0);
        return (granted & wanted) == wanted;
    }

    private static bool InOwnerGroup(FuseCaller caller, Func<FuseCaller, IReadOnlyCollection<uint>> supplementaryGroups) =>
        caller.Gid == OwnerGid || supplementaryGroups(caller).Contains(OwnerGid);
}
