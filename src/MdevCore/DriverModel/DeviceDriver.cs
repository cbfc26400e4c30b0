using MdevCore.Sysfs;

namespace MdevCore.DriverModel;

/// <summary>A driver registered on a bus.</summary>
/// <remarks>Kernel: <c>struct device_driver</c> plus its <c>driver_private</c>. Thread safety: thread-safe.</remarks>
public sealed class DeviceDriver
{
    internal DeviceDriver(Bus bus, IDeviceDriver ops, SysfsDirectory directory)
    {
        Bus = bus;
        Ops = ops;
        Name = ops.Name;
        Directory = directory;
    }

    /// <summary>The driver name.</summary>
    public string Name { get; }

    /// <summary>The bus it is registered on.</summary>
    public Bus Bus { get; }

    /// <summary>The callbacks.</summary>
    public IDeviceDriver Ops { get; }

    /// <summary>Whether it is still registered.</summary>
    public bool IsRegistered => !Directory.IsRemoved;

    /// <summary>The sysfs path of its directory, for example <c>/sys/bus/mdev/drivers/vfio_mdev</c>.</summary>
    public string SysfsPath => Directory.FullPath;

    internal SysfsDirectory Directory { get; }
}
