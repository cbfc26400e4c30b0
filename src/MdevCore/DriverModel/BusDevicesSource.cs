using MdevCore.Sysfs;

namespace MdevCore.DriverModel;

/// <summary>
/// Renders <c>/sys/bus/&lt;bus&gt;/devices</c> from the bus's device map and index: one link per registered device,
/// made when looked up, so that adding a device stores no link node (the map is guarded by the tree lock).
/// </summary>
internal sealed class BusDevicesSource : ISysfsChildSource
{
    /// <summary>The bus; set once, right after the bus is made.</summary>
    public Bus? Bus { get; set; }

    public SysfsNode? Find(SysfsDirectory directory, ReadOnlySpan<char> name) =>
        Bus?.FindDevice_NeedsLock(name) is { } device ? LinkTo(directory, device) : null;

    public IEnumerable<SysfsNode> List(SysfsDirectory directory)
    {
        var links = new List<SysfsNode>();
        if (Bus is not { } bus)
        {
            return links;
        }

        foreach (Device device in bus.ListDevices_NeedsLock())
        {
            if (LinkTo(directory, device) is { } link)
            {
                links.Add(link);
            }
        }

        return links;
    }

    /// <summary>A link named after <paramref name="device"/> to its directory, or <see langword="null"/> while it has none.</summary>
    internal static SysfsSymlink? LinkTo(SysfsDirectory directory, Device device) =>
        device.Directory is { IsRemoved: false } target ? new SysfsSymlink(device.Name, directory, target) : null;
}
