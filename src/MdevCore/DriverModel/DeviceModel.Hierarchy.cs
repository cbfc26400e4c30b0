namespace MdevCore.DriverModel;

/// <summary>The device hierarchy: devices of a bus, children of a device, and the intrusive child lists (guarded by the tree lock).</summary>
public sealed partial class DeviceModel
{
    /// <summary>The devices currently registered on a bus.</summary>
    /// <param name="bus">The bus.</param>
    /// <returns>A snapshot, ordered by name.</returns>
    public IReadOnlyList<Device> GetDevices(Bus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        List<Device> list = SnapshotDevices(bus);
        list.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    private List<Device> SnapshotDevices(Bus bus)
    {
        using (_tree.EnterScope())
        {
            return bus.ListDevices_NeedsLock();
        }
    }

    /// <summary>The children of a device, in the order they were added.</summary>
    /// <param name="device">The device.</param>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<Device> GetChildren(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        using (_tree.EnterScope())
        {
            var children = new List<Device>();
            for (Device? child = device.FirstChild; child is not null; child = child.NextSibling)
            {
                children.Add(child);
            }

            return children;
        }
    }

    private void LinkChild_NeedsLock(Device parent, Device child)
    {
        AssertTreeLockHeld();
        child.PreviousSibling = parent.LastChild;
        child.NextSibling = null;
        if (parent.LastChild is { } last)
        {
            last.NextSibling = child;
        }
        else
        {
            parent.FirstChild = child;
        }

        parent.LastChild = child;
    }

    private void UnlinkChild_NeedsLock(Device parent, Device child)
    {
        AssertTreeLockHeld();
        if (child.PreviousSibling is { } previous)
        {
            previous.NextSibling = child.NextSibling;
        }
        else if (ReferenceEquals(parent.FirstChild, child))
        {
            parent.FirstChild = child.NextSibling;
        }

        if (child.NextSibling is { } next)
        {
            next.PreviousSibling = child.PreviousSibling;
        }
        else if (ReferenceEquals(parent.LastChild, child))
        {
            parent.LastChild = child.PreviousSibling;
        }

        child.NextSibling = null;
        child.PreviousSibling = null;
    }
}
