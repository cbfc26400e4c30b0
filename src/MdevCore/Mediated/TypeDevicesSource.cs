using MdevCore.DriverModel;
using MdevCore.Sysfs;

namespace MdevCore.Mediated;

/// <summary>
/// Renders <c>mdev_supported_types/&lt;type&gt;/devices</c>: one link per device of the type whose type links
/// are up, derived from the mdev bus's device map (guarded by the tree lock), so create stores no link node.
/// Listing walks the bus's devices; a lookup by name is one hash probe.
/// </summary>
internal sealed class TypeDevicesSource(MdevType type, Bus bus) : ISysfsChildSource
{
    public SysfsNode? Find(SysfsDirectory directory, ReadOnlySpan<char> name) =>
        bus.Devices.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out Device? device) && IsListed(device)
            ? BusDevicesSource.LinkTo(directory, device)
            : null;

    public IEnumerable<SysfsNode> List(SysfsDirectory directory)
    {
        var links = new List<SysfsNode>();
        foreach (Device device in bus.Devices.Values)
        {
            if (IsListed(device) && BusDevicesSource.LinkTo(directory, device) is { } link)
            {
                links.Add(link);
            }
        }

        return links;
    }

    private bool IsListed(Device device) => device is MdevDevice { TypeLinked: true } mdev && ReferenceEquals(mdev.Type, type);
}
