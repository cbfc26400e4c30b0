using MdevCore.Diagnostics;
using MdevCore.DriverModel;
using MdevCore.Sysfs;

namespace MdevCore.Mediated;

/// <summary>Creating mdevs (create_store / mdev_device_create).</summary>
public sealed partial class MdevManager
{
    /// <summary>Creates an mdev of <paramref name="type"/>, exactly as writing its UUID to the type's <c>create</c> file does.</summary>
    /// <param name="type">The type.</param>
    /// <param name="uuid">The UUID; the device is named with its lower-case form.</param>
    /// <returns>The device, or:
    /// <see cref="Errno.EEXIST"/> if the UUID is in use (on any parent under the modern profile, on this parent under the seed);
    /// <see cref="Errno.EUSERS"/> when the core's instance budget is used up (modern);
    /// <see cref="Errno.ENODEV"/> while the parent is unregistering;
    /// the vendor's or bus driver's probe errno (<see cref="Errno.EPROBE_DEFER"/> becomes <see cref="Errno.EAGAIN"/>);
    /// <see cref="Errno.EIO"/> if a vendor callback threw. A failed create leaves nothing behind but the uevents the kernel sends on that path.</returns>
    public Result<MdevDevice> CreateDevice(MdevType type, Guid uuid)
    {
        ArgumentNullException.ThrowIfNull(type);
        MdevParent parent = type.Parent;
        Lock? seedLock = Profile == KernelProfile.Seed ? parent.SeedLock : null;
        seedLock?.Enter();
        try
        {
            Result<MdevDevice> result = CreateCore(type, uuid);
            if (result.Succeeded)
            {
                Log.DeviceCreated(_logger, uuid, type.Id);
            }
            else
            {
                Log.DeviceCreateFailed(_logger, uuid, type.Id, result.Error);
            }

            return result.Error == Errno.EPROBE_DEFER ? Errno.EAGAIN : result;
        }
        finally
        {
            seedLock?.Exit();
        }
    }

    private Result<MdevDevice> CreateCore(MdevType type, Guid uuid)
    {
        MdevParent parent = type.Parent;
        if (_devices.TryGet(uuid, out MdevDevice? existing))
        {
            return Duplicate(existing, parent);
        }

        bool counted = !parent.VendorCountsInstances;
        if (counted && !parent.TryTakeInstance(enforce: Profile == KernelProfile.Modern))
        {
            return Errno.EUSERS;
        }

        // device_initialize: the creator's reference, dropped at removal or on a failure below.
        // The instance taken above is given back by ReleaseDevice when the last reference goes.
        var mdev = new MdevDevice(this, type, uuid, Bus);

        // The seed's vendor create runs before device_add, so it lists the device first; the modern kernel's list_add
        // and device_add follow each other, and are one tree-lock section here (device_add's first step lists it).
        if (Profile == KernelProfile.Seed && !_devices.TryAdd(mdev, out existing))
        {
            // A create of the same UUID won the race.
            if (counted)
            {
                parent.ReturnInstance();
            }

            return Duplicate(existing, parent);
        }

        if (!parent.Gate.TryEnterShared())
        {
            mdev.Put();
            return Errno.ENODEV;
        }

        try
        {
            Errno error = Profile == KernelProfile.Modern ? AddAndBindModern(mdev) : AddAndBindSeed(mdev);
            if (error != Errno.None)
            {
                return error;
            }

            // mdev_create_sysfs_files: devices/<uuid> under the type and mdev_type in the device are both derived from this.
            mdev.TypeLinked = true;
            mdev.Activate();
            if (parent.ChildrenWalked)
            {
                // An unregistration stopped waiting for this create and has already walked the children: undo it here.
                RemoveCommon(mdev, force: true);
                return Errno.ENODEV;
            }

            return mdev;
        }
        finally
        {
            parent.Gate.ExitShared();
        }
    }

    private Errno Duplicate(MdevDevice existing, MdevParent parent)
    {
        if (Profile == KernelProfile.Seed && !ReferenceEquals(existing.MdevParent, parent))
        {
            // The seed only looked within the parent; device_register then collided on the bus name.
            Log.DuplicateFilename(_logger, Bus.DevicesDirectory.FullPath + "/" + existing.Name);
        }

        return Errno.EEXIST;
    }

    /// <summary>6.x: device_add (KOBJ_ADD), then the explicit attach of the parent's driver, whose probe is the vendor's create.</summary>
    private Errno AddAndBindModern(MdevDevice mdev)
    {
        Errno error = _model.AddDevice(mdev, DeviceAttributes);
        if (error != Errno.None)
        {
            // EEXIST here may be a racing create of the same UUID that listed its device first. The release gives the
            // instance back, and unlists this device if it was listed.
            mdev.Put();
            return error;
        }

        error = _model.Attach(mdev, mdev.MdevParent.Driver!);
        if (error != Errno.None && mdev.TryClaimRemoval())
        {
            // Unless an unregistration that stopped waiting for this create removed the device already.
            _model.DeleteCore(mdev);
            mdev.Put();
        }

        return error;
    }

    /// <summary>
    /// Seed, with the 2018-2019 ordering fixes applied: the vendor creates its state first, its attribute
    /// groups exist before KOBJ_ADD, and only then are the registered bus drivers (vfio_mdev) offered the device.
    /// </summary>
    private Errno AddAndBindSeed(MdevDevice mdev)
    {
        Errno error = CallVendor(mdev, static (ops, m) => ops.Create(m), "create");
        if (error != Errno.None)
        {
            mdev.Put();
            return error;
        }

        error = _model.AddDevice(mdev, DeviceAttributes, mdev.MdevParent.Tables.DeviceGroups);
        if (error != Errno.None)
        {
            _ = CallVendor(mdev, static (ops, m) => ops.Remove(m), "remove");
            mdev.Put();
            return error;
        }

        foreach (DeviceDriver driver in _model.GetDrivers(Bus))
        {
            if (_model.Attach(mdev, driver) == Errno.None)
            {
                break;
            }
        }

        return Errno.None;
    }

    private void RemoveVendorDeviceGroups(MdevDevice mdev)
    {
        if (mdev.Directory is { } dir)
        {
            foreach (AttributeGroup group in mdev.MdevParent.Tables.DeviceGroups)
            {
                _tree.RemoveGroup(dir, group);
            }
        }
    }

    /// <summary>Calls an mdev bus driver's callback; an exception becomes <see cref="Errno.EIO"/> (and is logged).</summary>
    internal Errno CallDriver(MdevDevice mdev, IMdevDriver driver, Func<IMdevDriver, MdevDevice, Errno> callback, string name)
    {
        try
        {
            return callback(driver, mdev);
        }
#pragma warning disable CA1031 // A driver's exception must not leave a half-bound or half-removed device behind.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogVendorFault(mdev, ex, driver.Name + "." + name);
            return Errno.EIO;
        }
    }

    /// <summary>Calls a vendor callback; an exception becomes <see cref="Errno.EIO"/> (and is logged) so that nothing is left half done.</summary>
    internal Errno CallVendor(MdevDevice mdev, Func<IMdevParentOps, MdevDevice, Errno> callback, string name)
    {
        try
        {
            return callback(mdev.MdevParent.Ops, mdev);
        }
#pragma warning disable CA1031 // A vendor's exception must not leave a half-created or half-removed device behind.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogVendorFault(mdev, ex, name);
            return Errno.EIO;
        }
    }
}
