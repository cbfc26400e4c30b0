using MdevCore.Sysfs;

namespace MdevCore.DriverModel;

/// <summary>A bus: <c>/sys/bus/&lt;name&gt;/</c> with its devices, drivers and binding rules.</summary>
/// <remarks>Kernel: <c>struct bus_type</c> with its <c>subsys_private</c>. Thread safety: thread-safe.</remarks>
public sealed class Bus
{
    internal Bus(string name, SysfsDirectory directory, SysfsDirectory devices, SysfsDirectory drivers)
    {
        Name = name;
        Directory = directory;
        DevicesDirectory = devices;
        DriversDirectory = drivers;
    }

    /// <summary>The bus name: <c>pci</c>, <c>platform</c>, <c>mdev</c>, ...</summary>
    public string Name { get; }

    /// <summary>The sysfs path, for example <c>/sys/bus/mdev</c>.</summary>
    public string SysfsPath => Directory.FullPath;

    /// <summary>Whether new devices are offered to the drivers at once (<c>drivers_autoprobe</c>).</summary>
    public bool AutoProbe { get; internal set; } = true;

    internal SysfsDirectory Directory { get; }

    /// <summary>The device model the bus belongs to.</summary>
    internal DeviceModel? Model { get; set; }

    internal SysfsDirectory DevicesDirectory { get; }

    internal SysfsDirectory DriversDirectory { get; }

    /// <summary>Registered drivers by name; guarded by the device model lock.</summary>
    internal Dictionary<string, DeviceDriver> Drivers { get; } = new(StringComparer.Ordinal);

    /// <summary>Devices on this bus by name, except the indexed ones (<see cref="Index"/>); guarded by the sysfs tree
    /// lock, because <c>devices/</c> and the driver directories are rendered from it.</summary>
    internal Dictionary<string, Device> NamedDevices { get; } = new(StringComparer.Ordinal);

    /// <summary>Finds this bus's indexed devices (the mdev list for the <c>mdev</c> bus); set once, when the bus is made.</summary>
    internal IDeviceIndex? Index { get; set; }

    /// <summary>The registered device of this name on the bus, or <see langword="null"/>. Needs the tree lock.</summary>
    internal Device? FindDevice_NeedsLock(ReadOnlySpan<char> name)
    {
        if (NamedDevices.Count > 0 && NamedDevices.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out Device? device))
        {
            return device;
        }

        return Index?.Find(name) is { IsRegistered: true } indexed && ReferenceEquals(indexed.Bus, this) ? indexed : null;
    }

    /// <summary>The registered devices on the bus, in no particular order. Needs the tree lock.</summary>
    internal List<Device> ListDevices_NeedsLock()
    {
        List<Device> devices = [.. NamedDevices.Values];
        if (Index is { } index)
        {
            foreach (Device device in index.Devices)
            {
                if (device.IsRegistered && ReferenceEquals(device.Bus, this))
                {
                    devices.Add(device);
                }
            }
        }

        return devices;
    }

    /// <summary>Whether a driver may bind a device (<c>bus_type.match</c>); <see langword="null"/> matches everything.</summary>
    internal Func<Device, DeviceDriver, bool>? Match { get; set; }

    /// <summary>
    /// Whether a newly registered driver is offered the unbound devices. Simulated physical buses have no
    /// id tables, so their devices are bound explicitly; the seed's mdev bus matched everything.
    /// </summary>
    internal bool ProbeOnDriverRegistration { get; set; }

    /// <summary>The bus's own probe step around the driver's (<c>bus_type.probe</c>); <see langword="null"/> calls the driver directly.</summary>
    internal IBusProbe? Probe { get; set; }
}
