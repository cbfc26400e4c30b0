using MdevCore.Sysfs;

namespace MdevCore.Mediated;

/// <summary>Optional: attributes added to each mdev (seed <c>mdev_attr_groups</c>; 6.x <c>driver.dev_groups</c>).</summary>
/// <remarks>
/// The callbacks receive the <see cref="MdevDevice"/> as owner. Under the modern profile the groups
/// exist only while the device is bound; under the seed profile they are added after the vendor's
/// create and removed at remove.
/// </remarks>
public interface IMdevDeviceAttributeGroups
{
    /// <summary>The groups, for example a <c>vendor</c> group with <c>sample_mdev_dev</c>.</summary>
    IReadOnlyList<AttributeGroup> DeviceAttributeGroups { get; }
}
