using MdevCore.Sysfs;

namespace MdevCore.DriverModel;

/// <summary>
/// Renders the device links of <c>/sys/bus/&lt;bus&gt;/drivers/&lt;driver&gt;</c>: one per device bound to the
/// driver, derived from the bus's device map and each device's driver, so binding stores no link node.
/// </summary>
internal sealed class DriverDevicesSource : ISysfsChildSource
{
    /// <summary>The driver; set once, right after the driver is made.</summary>
    public DeviceDriver? Driver { get; set; }

    public SysfsNode? Find(SysfsDirectory directory, ReadOnlySpan<char> name) =>
        Driver is { } driver
        && driver.Bus.FindDevice_NeedsLock(name) is { } device
        && ReferenceEquals(device.Driver, driver)
            ? BusDevicesSource.LinkTo(directory, device)
            : null;

    public IEnumerable<SysfsNode> List(SysfsDirectory directory)
    {
        var links = new List<SysfsNode>();
        if (Driver is not { } driver)
        {
            return links;
        }

        foreach (Device device in driver.Bus.ListDevices_NeedsLock())
        {
            if (ReferenceEquals(device.Driver, driver) && BusDevicesSource.LinkTo(directory, device) is { } link)
            {
                links.Add(link);
            }
        }

        return links;
    }
}
