using System.Text;
using MdevCore.Internal;
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
                if (!KernelParse.TryParseUnsigned(data, out ulong value))
                {
                    return Errno.EINVAL;
                }

                ((Bus)owner!).AutoProbe = value != 0;
                return Errno.None;
            }),
        SysfsAttribute.WriteOnly("drivers_probe", static (owner, data) => ((Bus)owner!).Model!.ProbeByName((Bus)owner!, data)),
        SysfsAttribute.WriteOnly("uevent", static (_, _) => Errno.None),
    ]);

    private static readonly AttributeGroup DriverAttributes = new(null,
    [
        SysfsAttribute.WriteOnly("bind", static (owner, data) => BindStore((DeviceDriver)owner!, data)),
        SysfsAttribute.WriteOnly("unbind", static (owner, data) => UnbindStore((DeviceDriver)owner!, data)),
        SysfsAttribute.WriteOnly("uevent", static (_, _) => Errno.None),
    ]);

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
        Device? device = FindOnBus(bus, data);
        if (device is null)
        {
            return Errno.EINVAL;
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
