using MdevCore.DriverModel;
using MdevCore.Sysfs;

namespace MdevCore.Mediated;

/// <summary>
/// Renders <c>mdev_supported_types/&lt;type&gt;/devices</c>: one link per device of the type whose type links
/// are up, derived from the mdev bus's devices (the mdev list, read under the tree lock), so create stores no link node.
/// Listing walks the bus's devices; a lookup by name is one probe of the mdev list.
/// </summary>
internal sealed class TypeDevicesSource(MdevType type, Bus bus) : ISysfsChildSource
{
    public SysfsNode? Find(SysfsDirectory directory, ReadOnlySpan<char> name) =>
        bus.FindDevice_NeedsLock(name) is { } device && IsListed(device)
            ? BusDevicesSource.LinkTo(directory, device)
            : null;

    public IEnumerable<SysfsNode> List(SysfsDirectory directory)
    {
        var links = new List<SysfsNode>();
        foreach (Device device in bus.ListDevices_NeedsLock())
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
