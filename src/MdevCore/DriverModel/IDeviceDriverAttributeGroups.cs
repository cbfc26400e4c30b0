using MdevCore.Sysfs;

namespace MdevCore.DriverModel;

/// <summary>Optional: attribute groups a driver adds to each device while it is bound (kernel: <c>driver.dev_groups</c>).</summary>
/// <remarks>The groups' callbacks receive the <see cref="Device"/> as owner.</remarks>
public interface IDeviceDriverAttributeGroups
{
    /// <summary>The groups for <paramref name="device"/>, created after a successful probe and removed at unbind.</summary>
    /// <param name="device">The device being bound or unbound.</param>
    /// <returns>The groups; empty for none.</returns>
    IReadOnlyList<AttributeGroup> GetDeviceAttributeGroups(Device device);
}
