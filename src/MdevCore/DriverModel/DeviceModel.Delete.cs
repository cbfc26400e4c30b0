using MdevCore.Sysfs;

namespace MdevCore.DriverModel;

/// <summary>Deleting devices (device_unregister / device_del).</summary>
public sealed partial class DeviceModel
{
    /// <summary>Deletes a device: unbinds it, removes its sysfs entries, sends <c>remove</c> and drops the model's reference.</summary>
    /// <param name="device">The device; its children must be deleted first.</param>
    /// <returns><see cref="Errno.ENODEV"/> if it is not registered or another delete of it has begun;
    /// <see cref="Errno.EBUSY"/> if it still has children, is still registered as an mdev parent (unregister the parent
    /// first) or is an mdev (remove it through the mdev core).</returns>
    public Errno DeleteDevice(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);

        // One delete wins; a device held by the mdev core (a registered parent, an mdev) is refused.
        Errno begin = device.TryBeginDelete();
        if (begin != Errno.None)
        {
            return begin == Errno.ENODEV || !device.IsRegistered ? Errno.ENODEV : Errno.EBUSY;
        }

        using (_tree.EnterScope())
        {
            // A child being added checks the deleting flag in its own tree-lock section, so it is either seen here or refused.
            Errno refused = !device.IsRegistered ? Errno.ENODEV : device.FirstChild is not null ? Errno.EBUSY : Errno.None;
            if (refused != Errno.None)
            {
                if (refused == Errno.EBUSY)
                {
                    device.CancelDelete();
                }

                return refused;
            }
        }

        DeleteCore(device);
        device.Put(); // Pairs with the initial reference of the device model.
        return Errno.None;
    }

    /// <summary>device_del: release the driver, remove sysfs entries and links, KOBJ_REMOVE.</summary>
    internal void DeleteCore(Device device)
    {
        // kill_device: from here no driver can bind and no synthetic uevent goes out, so the device's last events are
        // its unbind and its remove.
        lock (device.DeviceLock)
        {
            device.Kill_NeedsDeviceLock();
        }

        _ = ReleaseDriver(device);
        using (_tree.EnterScope())
        {
            device.SetRegistered(false);
            if (device.Parent is { } parent)
            {
                UnlinkChild_NeedsLock(parent, device);
            }

            if (device.Bus is { } b && !device.IsIndexed && b.NamedDevices.Remove(device.Name, out Device? removed) && !ReferenceEquals(removed, device))
            {
                // A device of the same name that is not this one stays.
                b.NamedDevices.Add(removed.Name, removed);
            }

            if (device.Class is { } deviceClass
                && deviceClass.Directory.Find_NeedsLock(device.Name) is SysfsSymlink link
                && ReferenceEquals(link.Target, device.Directory))
            {
                _tree.Detach_NeedsLock(link);
            }

            if (device.Directory is { } dir)
            {
                // An indexed device's directory is rendered in its parent's, not stored there: it only goes dead.
                if (device.IsIndexed)
                {
                    _tree.MarkDetached_NeedsLock(dir);
                }
                else
                {
                    _tree.Detach_NeedsLock(dir);
                }
            }
        }

        _uevents.Raise(device, UEventAction.Remove);
        device.Parent?.Put(); // Pairs with the Get in AddDevice.
    }
}
