using System.Text;
using MdevCore.Sysfs;

namespace MdevCore.DriverModel;

/// <summary>The files of a bus and of its drivers: drivers_autoprobe, drivers_probe, bind, unbind, uevent.</summary>
public sealed partial class DeviceModel
{
    private static readonly AttributeGroup BusAttributes = new(null,
    [
        SysfsAttribute.ReadWrite(
            "drivers_autoprobe",
            static owner => ((Bus)owner!).AutoProbe ? "1\n" : "0\n",
            static (owner, data) =>
            {
                // drivers_autoprobe_store never fails: a first byte '0' switches probing off, anything else on.
                ((Bus)owner!).AutoProbe = data.IsEmpty || data[0] != (byte)'0';
                return Errno.None;
            }),
        SysfsAttribute.WriteOnly("drivers_probe", static (owner, data) => ((Bus)owner!).Model!.ProbeByName((Bus)owner!, data)),
        SysfsAttribute.WriteOnly("uevent", static (owner, data) => KobjectUEventStore(((Bus)owner!).Model!, data)),
    ]);

    private static readonly AttributeGroup DriverAttributes = new(null,
    [
        SysfsAttribute.WriteOnly("bind", static (owner, data) => BindStore((DeviceDriver)owner!, data)),
        SysfsAttribute.WriteOnly("unbind", static (owner, data) => UnbindStore((DeviceDriver)owner!, data)),
        SysfsAttribute.WriteOnly("uevent", static (owner, data) => KobjectUEventStore(((DeviceDriver)owner!).Bus.Model!, data)),
    ]);

    /// <summary>bus_uevent_store and the driver's uevent_store: since 4.13 a malformed write is <see cref="Errno.EINVAL"/>
    /// (kobject_synth_uevent); v4.10 took every write. The event itself would be the bus's or driver's kobject's, which
    /// the simulated uevent stream (device events only) does not carry.</summary>
    private static Errno KobjectUEventStore(DeviceModel model, ReadOnlySpan<byte> data) =>
        SyntheticUEvent.Parse(data, model.Profile, out _, out _);

    private static Errno BindStore(DeviceDriver driver, ReadOnlySpan<byte> data)
    {
        DeviceModel model = driver.Bus.Model!;
        Device? device = model.FindOnBus(driver.Bus, data);
        if (device is null)
        {
            return Errno.ENODEV;
        }

        Errno error = model.Bind(device, driver);
        return error == Errno.EPROBE_DEFER ? Errno.EAGAIN : error;
    }

    private static Errno UnbindStore(DeviceDriver driver, ReadOnlySpan<byte> data)
    {
        DeviceModel model = driver.Bus.Model!;
        Device? device = model.FindOnBus(driver.Bus, data);
        if (device is null || !ReferenceEquals(device.Driver, driver))
        {
            return Errno.ENODEV;
        }

        _ = model.ReleaseDriver(device);
        return Errno.None;
    }

    /// <summary>drivers_probe: offer a named device to every driver of the bus.</summary>
    private Errno ProbeByName(Bus bus, ReadOnlySpan<byte> data)
    {
        // drivers_probe_store: an unknown name is ENODEV (bus_find_device_by_name found nothing).
        Device? device = FindOnBus(bus, data);
        if (device is null)
        {
            return Errno.ENODEV;
        }

        if (device.Driver is not null)
        {
            return Errno.None;
        }

        DeviceDriver[] drivers;
        lock (_lock)
        {
            drivers = [.. bus.Drivers.Values];
        }

        foreach (DeviceDriver driver in drivers)
        {
            if ((bus.Match?.Invoke(device, driver) ?? true) && Attach(device, driver) == Errno.None)
            {
                break;
            }
        }

        return Errno.None;
    }

    /// <summary>Finds a device by the name written to a bind-style file (a trailing newline is dropped, as sysfs_streq does).</summary>
    private Device? FindOnBus(Bus bus, ReadOnlySpan<byte> data)
    {
        if (data.Length > 0 && data[^1] == (byte)'\n')
        {
            data = data[..^1];
        }

        string name = Encoding.UTF8.GetString(data);
        using (_tree.EnterScope())
        {
            return bus.FindDevice_NeedsLock(name);
        }
    }
}
