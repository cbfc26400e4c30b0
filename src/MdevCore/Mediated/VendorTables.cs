using MdevCore.Diagnostics;
using MdevCore.Sysfs;
using Microsoft.Extensions.Logging;

namespace MdevCore.Mediated;

/// <summary>
/// What a vendor declares about a parent: its types and its parent and device attribute groups. The core reads
/// them once, before any file of the parent exists, and uses that copy from then on, as the kernel's
/// <c>mdev_parent_ops</c> tables are constant: a vendor's getter cannot see a half-registered parent, and the groups
/// removed later are exactly the groups added.
/// </summary>
internal sealed record VendorTables(IReadOnlyList<MdevTypeInfo> Types, IReadOnlyList<AttributeGroup> ParentGroups, IReadOnlyList<AttributeGroup> DeviceGroups)
{
    /// <summary>Reads the tables; a getter that throws or returns a null entry is <see cref="Errno.EIO"/> (logged).</summary>
    /// <exception cref="ArgumentException"><see cref="IMdevParentOps.SupportedTypes"/> is null (a programmer error).</exception>
    public static Result<VendorTables> Read(IMdevParentOps ops, string parent, ILogger logger)
    {
        IReadOnlyList<MdevTypeInfo>? types;
        AttributeGroup[] parentGroups;
        AttributeGroup[] deviceGroups;
        try
        {
            types = ops.SupportedTypes;
            parentGroups = ops is IMdevParentAttributeGroups p ? [.. p.ParentAttributeGroups] : [];
            deviceGroups = ops is IMdevDeviceAttributeGroups d ? [.. d.DeviceAttributeGroups] : [];
        }
#pragma warning disable CA1031 // A vendor's getter fault fails the registration with EIO and leaves nothing behind.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.VendorTableFailed(logger, ex, parent);
            return Errno.EIO;
        }

        if (types is null)
        {
            throw new ArgumentException("SupportedTypes is null.", nameof(ops));
        }

        MdevTypeInfo[] typeList = [.. types];
        if (typeList.Contains(null) || parentGroups.Contains(null) || deviceGroups.Contains(null))
        {
            throw new ArgumentException("The vendor's types or attribute groups contain null.", nameof(ops));
        }

        return new VendorTables(typeList, parentGroups, deviceGroups);
    }
}
