using MdevCore.DriverModel;
using MdevCore.Sysfs;

namespace MdevCore.Mediated;

/// <summary>
/// Puts an mdev bus driver on the driver core. Under the modern profile the vendor's create and remove
/// run as the driver's probe and remove (the vendor is the mdev driver in 6.x); a user-supplied
/// <see cref="IMdevDriver"/> probes after the vendor and is removed before it. Under the seed profile
/// only the user's driver runs here (the core calls the vendor itself).
/// </summary>
internal sealed class MdevDriverAdapter(MdevManager manager, IMdevDriver? user, string name) : IDeviceDriver, IDeviceDriverAttributeGroups
{
    public string Name => name;

    public Errno Probe(Device device)
    {
        var mdev = (MdevDevice)device;
        if (manager.Profile == KernelProfile.Modern)
        {
            Errno error = manager.CallVendor(mdev, static (ops, m) => ops.Create(m), "create");
            if (error != Errno.None || user is null)
            {
                return error;
            }

            error = CallUserProbe(mdev);
            if (error != Errno.None)
            {
                _ = manager.CallVendor(mdev, static (ops, m) => ops.Remove(m), "remove");
            }

            return error;
        }

        return user is null ? Errno.None : CallUserProbe(mdev);
    }

    public void Remove(Device device)
    {
        var mdev = (MdevDevice)device;
        if (user is not null)
        {
            _ = manager.CallDriver(mdev, user, static (d, m) =>
            {
                d.Remove(m);
                return Errno.None;
            }, "remove");
        }

        if (manager.Profile == KernelProfile.Modern)
        {
            // 6.x driver remove returns nothing: a vendor's errno cannot keep the device.
            _ = manager.CallVendor(mdev, static (ops, m) => ops.Remove(m), "remove");
        }
    }

    public IReadOnlyList<AttributeGroup> GetDeviceAttributeGroups(Device device) =>
        manager.Profile == KernelProfile.Modern && device is MdevDevice mdev ? mdev.MdevParent.Tables.DeviceGroups : [];

    private Errno CallUserProbe(MdevDevice mdev) => manager.CallDriver(mdev, user!, static (d, m) => d.Probe(m), "probe");
}
