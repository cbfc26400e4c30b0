namespace MdevCore.DriverModel;

/// <summary>The callbacks of a device driver (kernel: <c>struct device_driver</c>'s probe and remove).</summary>
/// <remarks>
/// Both are called under the device's lock and outside every host-wide lock, so a driver may call
/// back into the host. Implementations decide their own thread safety across devices.
/// </remarks>
public interface IDeviceDriver
{
    /// <summary>The driver name: its directory under <c>/sys/bus/&lt;bus&gt;/drivers/</c>.</summary>
    string Name { get; }

    /// <summary>Takes over a device. A non-zero errno refuses the device and is passed to whoever asked for the bind.</summary>
    /// <param name="device">The device being bound.</param>
    /// <returns><see cref="Errno.None"/> to bind.</returns>
    Errno Probe(Device device);

    /// <summary>Lets go of a device (unbind, device removal or driver unregistration). Cannot fail.</summary>
    /// <param name="device">The device being unbound.</param>
    void Remove(Device device);
}
