using MdevCore.DriverModel;

namespace MdevCore.Hosting;

/// <summary>The physical driver a builder-added parent is bound to; it only lends its name (the type prefix), as the kernel's
/// <c>dev_driver_string</c> does.</summary>
internal sealed class PhysicalDriver(string name) : IDeviceDriver
{
    public string Name => name;

    public Errno Probe(Device device) => Errno.None;

    public void Remove(Device device)
    {
    }

    /// <summary>Binds <paramref name="device"/> to the bus's driver of that name, registering it first if the bus has none.</summary>
    public static Errno Bind(DeviceModel model, Bus bus, Device device, string name)
    {
        DeviceDriver? driver = model.GetDrivers(bus).FirstOrDefault(d => d.Name == name);
        if (driver is null)
        {
            Result<DeviceDriver> registered = model.RegisterDriver(bus, new PhysicalDriver(name));
            if (!registered.Succeeded)
            {
                return registered.Error;
            }

            driver = registered.Value;
        }

        return model.Bind(device, driver);
    }
}
