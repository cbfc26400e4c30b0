using MdevCore.Sysfs;

namespace MdevCore.Mediated;

/// <summary>Optional: attributes added to the parent device at registration (seed <c>dev_attr_groups</c>).</summary>
/// <remarks>The callbacks receive the parent <see cref="DriverModel.Device"/> as owner; the groups go at unregistration.</remarks>
public interface IMdevParentAttributeGroups
{
    /// <summary>The groups.</summary>
    IReadOnlyList<AttributeGroup> ParentAttributeGroups { get; }
}
