using MdevCore.Diagnostics;
using MdevCore.Sysfs;

namespace MdevCore.DriverModel;

/// <summary>Buses, driver registration and binding.</summary>
public sealed partial class DeviceModel
{
    /// <summary>Registers a bus: <c>/sys/bus/&lt;name&gt;/{devices,drivers,drivers_autoprobe,drivers_probe,uevent}</c>.</summary>
    /// <param name="name">The bus name.</param>
    /// <returns>The bus.</returns>
    /// <exception cref="InvalidOperationException">A bus of that name exists.</exception>
    internal Bus RegisterBus(string name)
    {
        SysfsDirectory dir = _tree.CreateDirectory(_tree.Bus, name).Value;
        var devices = new BusDevicesSource();
        var bus = new Bus(name, dir, _tree.CreateDirectory(dir, "devices", devices).Value, _tree.CreateDirectory(dir, "drivers").Value) { Model = this };
        devices.Bus = bus;
        _tree.AddGroup(dir, BusAttributes, bus).ThrowIfFailed();
        lock (_lock)
        {
            if (!_buses.TryAdd(name, bus))
            {
                throw new InvalidOperationException($"Bus '{name}' is already registered.");
            }
        }

        return bus;
    }

    /// <summary>Gets a bus by name, registering it first if it does not exist (<c>bus_register</c>): for simulated
    /// buses beyond <c>pci</c>, <c>platform</c> and <c>mdev</c>, such as the s390 <c>css</c> bus of CCW subchannels.</summary>
    /// <param name="name">The bus name.</param>
    /// <returns>The bus.</returns>
    public Bus GetOrRegisterBus(string name)
    {
        SysfsNames.Validate(name);
        lock (_busRegistration)
        {
            return TryGetBus(name, out Bus? existing) ? existing : RegisterBus(name);
        }
    }

    /// <summary>Registers a driver on a bus (<c>driver_register</c>). Devices already on the bus are offered to it
    /// when the bus matches them and auto-probing is on.</summary>
    /// <param name="bus">The bus.</param>
    /// <param name="driver">The callbacks.</param>
    /// <returns>The registered driver; <see cref="Errno.EBUSY"/> if the name is taken on that bus (driver core);
    /// <see cref="Errno.EINVAL"/> for an empty name.</returns>
    public Result<DeviceDriver> RegisterDriver(Bus bus, IDeviceDriver driver)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(driver);
        if (string.IsNullOrEmpty(driver.Name) || driver.Name.Contains('/', StringComparison.Ordinal))
        {
            return Errno.EINVAL;
        }

        var links = new DriverDevicesSource();
        Result<SysfsDirectory> dir = _tree.CreateDirectory(bus.DriversDirectory, driver.Name, links);
        if (!dir.Succeeded)
        {
            return Errno.EBUSY;
        }

        var registered = new DeviceDriver(bus, driver, dir.Value);
        links.Driver = registered;
        _tree.AddGroup(dir.Value, DriverAttributes, registered).ThrowIfFailed();
        lock (_lock)
        {
            bus.Drivers.Add(driver.Name, registered);
        }

        List<Device> candidates = bus.AutoProbe && bus.ProbeOnDriverRegistration ? SnapshotDevices(bus) : [];

        Log.DriverRegistered(_logger, bus.Name, driver.Name);
        foreach (Device device in candidates)
        {
            if (device.Driver is null && device.IsRegistered && (bus.Match?.Invoke(device, registered) ?? true))
            {
                _ = Attach(device, registered);
            }
        }

        return registered;
    }

    /// <summary>Unregisters a driver: every device bound to it is unbound (and stays on the bus, unbound).</summary>
    /// <param name="driver">The driver.</param>
    /// <returns><see cref="Errno.ENODEV"/> if it is not registered.</returns>
    public Errno UnregisterDriver(DeviceDriver driver)
    {
        ArgumentNullException.ThrowIfNull(driver);
        List<Device> bound;
        lock (_lock)
        {
            if (!driver.Bus.Drivers.TryGetValue(driver.Name, out DeviceDriver? existing) || !ReferenceEquals(existing, driver))
            {
                return Errno.ENODEV;
            }

            _ = driver.Bus.Drivers.Remove(driver.Name);
        }

        bound = SnapshotDevices(driver.Bus);
        _ = bound.RemoveAll(d => !ReferenceEquals(d.Driver, driver));

        foreach (Device device in bound)
        {
            _ = ReleaseDriver(device);
        }

        _tree.Remove(driver.Directory);
        return Errno.None;
    }

    /// <summary>The drivers registered on a bus, in registration order.</summary>
    /// <param name="bus">The bus.</param>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<DeviceDriver> GetDrivers(Bus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        lock (_lock)
        {
            return [.. bus.Drivers.Values];
        }
    }

    /// <summary>Binds a device to a driver (<c>device_driver_attach</c>), as a write to <c>drivers/&lt;name&gt;/bind</c> does.</summary>
    /// <param name="device">The device.</param>
    /// <param name="driver">The driver; it must be on the device's bus.</param>
    /// <returns><see cref="Errno.ENODEV"/> if the device is gone, on another bus or the bus refuses the match;
    /// <see cref="Errno.EBUSY"/> if it already has a driver; or the driver's probe errno.</returns>
    public Errno Bind(Device device, DeviceDriver driver)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(driver);
        if (!ReferenceEquals(device.Bus, driver.Bus) || !driver.IsRegistered || !(driver.Bus.Match?.Invoke(device, driver) ?? true))
        {
            return Errno.ENODEV;
        }

        return Attach(device, driver);
    }

    /// <summary>Unbinds a device from its driver (<c>device_release_driver</c>).</summary>
    /// <param name="device">The device.</param>
    /// <returns><see cref="Errno.ENODEV"/> if it has no driver.</returns>
    public Errno Unbind(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return ReleaseDriver(device) ? Errno.None : Errno.ENODEV;
    }

    /// <summary>Probes under the device lock, then publishes the binding: links, driver groups, KOBJ_BIND.</summary>
    /// <remarks>As really_probe: a probe that throws fails with <see cref="Errno.EIO"/>; when the driver's device groups
    /// cannot be added, the driver's remove undoes the probe and the bind fails.</remarks>
    internal Errno Attach(Device device, DeviceDriver driver)
    {
        lock (device.DeviceLock)
        {
            if (device.IsDead || !device.IsRegistered || !driver.IsRegistered)
            {
                return Errno.ENODEV;
            }

            if (device.Driver is not null)
            {
                return Errno.EBUSY;
            }

            Errno error = driver.Bus.Probe is { } busProbe ? busProbe.Probe(device, driver) : CallProbe(device, driver);
            if (error != Errno.None)
            {
                return error;
            }

            if (!device.IsRegistered)
            {
                // The probe itself deleted the device (a vendor that unregistered its own parent): undo the probe.
                CallRemove(device, driver);
                return Errno.ENODEV;
            }

            error = AddDriverGroups(device, driver);
            if (error != Errno.None)
            {
                CallRemove(device, driver);
                return error;
            }

            // The device's "driver" link and the driver's link to the device are derived from this.
            device.SetDriver(driver);
            _uevents.Raise(device, UEventAction.Bind);
            return Errno.None;
        }
    }

    /// <summary>Releases the driver: driver groups, driver remove, links, KOBJ_UNBIND.</summary>
    /// <returns>Whether a driver was bound.</returns>
    internal bool ReleaseDriver(Device device)
    {
        lock (device.DeviceLock)
        {
            if (device.Driver is not { } driver)
            {
                return false;
            }

            RemoveDriverGroups(device);
            CallRemove(device, driver);

            // driver_sysfs_remove: both links (derived from this) go before KOBJ_UNBIND.
            device.SetDriver(null);

            // __device_release_driver: dev->driver is cleared before KOBJ_UNBIND, so the event has no DRIVER=.
            _uevents.Raise(device, UEventAction.Unbind);
            return true;
        }
    }

    /// <summary>device_add_groups(dev, drv->dev_groups): all of them or none.</summary>
    private Errno AddDriverGroups(Device device, DeviceDriver driver)
    {
        if (driver.Ops is not IDeviceDriverAttributeGroups source)
        {
            return Errno.None;
        }

        IReadOnlyList<AttributeGroup> groups;
        try
        {
            groups = [.. source.GetDeviceAttributeGroups(device)];
        }
#pragma warning disable CA1031 // A driver's fault fails the probe; it never leaves the device half bound.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.DriverCallbackFailed(_logger, ex, driver.Name, "dev_groups", device.Name);
            return Errno.EIO;
        }

        var added = new List<AttributeGroup>(groups.Count);
        foreach (AttributeGroup group in groups)
        {
            Errno error = _tree.AddGroup(device.Directory!, group, device);
            if (error != Errno.None)
            {
                device.DriverGroups = added;
                RemoveDriverGroups(device);
                return error;
            }

            added.Add(group);
        }

        device.DriverGroups = added.Count == 0 ? null : added;
        return Errno.None;
    }

    private void RemoveDriverGroups(Device device)
    {
        if (device.DriverGroups is { } groups)
        {
            foreach (AttributeGroup group in groups)
            {
                _tree.RemoveGroup(device.Directory!, group);
            }

            device.DriverGroups = null;
        }
    }

#pragma warning disable CA1031 // Driver code: a probe that throws fails with EIO; a remove that throws is logged and the unbind goes on.
    private Errno CallProbe(Device device, DeviceDriver driver)
    {
        try
        {
            return driver.Ops.Probe(device);
        }
        catch (Exception ex)
        {
            Log.DriverCallbackFailed(_logger, ex, driver.Name, "probe", device.Name);
            return Errno.EIO;
        }
    }

    private void CallRemove(Device device, DeviceDriver driver)
    {
        if (driver.Bus.Probe is { } busProbe)
        {
            busProbe.Remove(device, driver);
            return;
        }

        try
        {
            driver.Ops.Remove(device);
        }
        catch (Exception ex)
        {
            Log.DriverCallbackFailed(_logger, ex, driver.Name, "remove", device.Name);
        }
    }
#pragma warning restore CA1031
}
