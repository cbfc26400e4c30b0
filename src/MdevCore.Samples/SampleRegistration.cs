using MdevCore.DriverModel;
using MdevCore.Mediated;

namespace MdevCore.Samples;

/// <summary>What every sample does at module load: a class device <c>/sys/devices/virtual/&lt;name&gt;/&lt;name&gt;</c>, registered as an mdev parent.</summary>
internal static class SampleRegistration
{
    public static Result<MdevParent> Register(MdevHost host, string name, IMdevParentOps ops, MdevParentOptions? options)
    {
        ArgumentNullException.ThrowIfNull(host);
        Result<Device> added = host.DeviceModel.AddVirtualDevice(name, name);
        if (!added.TryGetValue(out Device? device))
        {
            return added.Error;
        }

        Result<MdevParent> parent = host.Mdev.RegisterParent(device, ops, options);
        if (!parent.Succeeded)
        {
            _ = host.DeviceModel.DeleteDevice(device); // Undo the device_register above.
        }

        return parent;
    }

    public static Errno Unregister(MdevHost host, MdevParent parent)
    {
        Errno error = host.Mdev.UnregisterParent(parent);
        return error != Errno.None ? error : host.DeviceModel.DeleteDevice(parent.Device);
    }
}
