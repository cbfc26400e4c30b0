using MdevCore.Sysfs;

namespace MdevCore.DriverModel;

/// <summary>A device class: <c>/sys/class/&lt;name&gt;/</c> with a link to each member device.</summary>
/// <remarks>Kernel: <c>struct class</c> (and <c>class_compat</c> for <c>mdev_bus</c>). Thread safety: thread-safe.</remarks>
public sealed class DeviceClass
{
    internal DeviceClass(string name, SysfsDirectory directory)
    {
        Name = name;
        Directory = directory;
    }

    /// <summary>The class name.</summary>
    public string Name { get; }

    /// <summary>The sysfs path, for example <c>/sys/class/mdev_bus</c>.</summary>
    public string SysfsPath => Directory.FullPath;

    internal SysfsDirectory Directory { get; }
}
