using MdevCore.DriverModel;
using MdevCore.Iommu;

namespace MdevCore.Mediated;

/// <summary>
/// The mdev bus's probe and remove: a fresh single-device IOMMU group around the driver's probe,
/// and a remove that first waits until the device is closed (vfio_unregister_group_dev).
/// </summary>
internal sealed class MdevBusProbe(MdevManager manager) : IBusProbe
{
    public Errno Probe(Device device, DeviceDriver driver)
    {
        IommuGroupRegistry iommu = manager.Iommu;
        Errno error = iommu.AllocateFor(device, manager.Profile == KernelProfile.Modern ? MdevManager.EmulatedIommuGroupName : null);
        if (error != Errno.None)
        {
            return error;
        }

        error = driver.Ops.Probe(device);
        if (error != Errno.None)
        {
            iommu.RemoveDevice(device);
            return error;
        }

        // The device now has a VFIO side: it may be opened (vfio_register_emulated_iommu_dev in the vendor's probe).
        ((MdevDevice)device).AllowOpen();
        return Errno.None;
    }

    public void Remove(Device device, DeviceDriver driver)
    {
        var mdev = (MdevDevice)device;

        // vfio_unregister_group_dev: no new opens, then wait for the open ones; past the host's bound, revoke them.
        mdev.DisallowOpen();
        if (!mdev.WaitUntilClosed(manager.RemoveWaitTimeout))
        {
            manager.LogRemoveWaitTimedOut(mdev);
            mdev.RevokeHandles();
        }

        driver.Ops.Remove(device);
        manager.Iommu.RemoveDevice(device);
    }
}
