using MdevCore.Diagnostics;
using MdevCore.DriverModel;

namespace MdevCore.Mediated;

/// <summary>Parent and bus-driver registration (mdev_register_device / mdev_register_driver and their inverses).</summary>
public sealed partial class MdevManager
{
    /// <summary>Registers a driver on the <c>mdev</c> bus (<c>mdev_register_driver</c>).</summary>
    /// <param name="driver">The driver.</param>
    /// <returns>The registered driver; <see cref="Errno.EBUSY"/> if the name is taken on the bus; <see cref="Errno.EINVAL"/> for an empty name.
    /// Under the seed profile every unbound mdev is offered to it at once; under the modern profile none is.</returns>
    public Result<DeviceDriver> RegisterDriver(IMdevDriver driver)
    {
        ArgumentNullException.ThrowIfNull(driver);
        return _model.RegisterDriver(Bus, new MdevDriverAdapter(this, driver, driver.Name));
    }

    /// <summary>Unregisters an mdev bus driver (<c>mdev_unregister_driver</c>): bound mdevs are unbound and stay.</summary>
    /// <param name="driver">The driver returned by <see cref="RegisterDriver"/>.</param>
    /// <returns><see cref="Errno.ENODEV"/> if it is not registered.</returns>
    public Errno UnregisterDriver(DeviceDriver driver) => _model.UnregisterDriver(driver);

    /// <summary>Registers a physical device as an mdev parent (<c>mdev_register_device(dev, ops)</c>).</summary>
    /// <param name="device">The physical device; it must stay registered until the parent is unregistered.</param>
    /// <param name="ops">The vendor callbacks.</param>
    /// <param name="options">Instance budget and driver choice; <see langword="null"/> for defaults.</param>
    /// <returns>The parent, or:
    /// <see cref="Errno.ENODEV"/> if <paramref name="device"/> is not registered;
    /// <see cref="Errno.EEXIST"/> (seed) or <see cref="Errno.ENOMEM"/> (modern, the kset name collision) if it is already a parent;
    /// <see cref="Errno.EINVAL"/> (seed) when the vendor lists no type;
    /// <see cref="Errno.EEXIST"/> when two types share a sysfs name;
    /// <see cref="Errno.EBUSY"/> when the vendor's own driver name is taken on the mdev bus by a driver of another kind.
    /// A failed registration leaves nothing behind.</returns>
    public Result<MdevParent> RegisterParent(Device device, IMdevParentOps ops, MdevParentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(ops);
        options ??= new MdevParentOptions();
        if (options.MaxInstances < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxInstances must not be negative.");
        }

        // Everything the parent is made of is settled before its first file exists (mdev_register_parent fills in
        // struct mdev_parent, then creates the sysfs files): a create written the moment a type directory appears
        // finds a whole parent. The vendor's getters run before any lock, so one that blocks or re-enters the host
        // holds up nobody else.
        Result<VendorTables> read = VendorTables.Read(ops, device.Name, _logger);
        if (!read.TryGetValue(out VendorTables? tables))
        {
            Log.ParentRegisterFailed(_logger, device.Name, read.Error);
            return read.Error;
        }

        // The seed serialized every registration and unregistration on the global parent_list_lock.
        Lock? seedLock = Profile == KernelProfile.Seed ? _seedRegistrationLock : null;
        seedLock?.Enter();
        try
        {
            Result<MdevParent> result = RegisterParentCore(device, ops, options, tables);
            if (!result.Succeeded)
            {
                Log.ParentRegisterFailed(_logger, device.Name, result.Error);
            }

            return result;
        }
        finally
        {
            seedLock?.Exit();
        }
    }

    /// <summary>Unregisters a parent (<c>mdev_unregister_device</c>): waits for creates and removes in flight, makes new
    /// ones fail with <see cref="Errno.ENODEV"/>, removes every child (even if its vendor callbacks misbehave), then the
    /// types, then (modern) sends <c>change</c> with <c>MDEV_STATE=unregistered</c>. Blocks while children are open.</summary>
    /// <param name="parent">The parent.</param>
    /// <returns><see cref="Errno.ENODEV"/> if it is not registered (or already unregistering).</returns>
    public Errno UnregisterParent(MdevParent parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        Lock? seedLock = Profile == KernelProfile.Seed ? _seedRegistrationLock : null;
        seedLock?.Enter();
        try
        {
            return UnregisterParentCore(parent);
        }
        finally
        {
            seedLock?.Exit();
        }
    }

    /// <summary>Unregisters the parent registered for <paramref name="device"/>.</summary>
    /// <param name="device">The physical device.</param>
    /// <returns><see cref="Errno.ENODEV"/> if it is not a registered parent.</returns>
    public Errno UnregisterParent(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return TryGetParent(device, out MdevParent? parent) ? UnregisterParent(parent) : Errno.ENODEV;
    }

    private Result<MdevParent> RegisterParentCore(Device device, IMdevParentOps ops, MdevParentOptions options, VendorTables tables)
    {
        if (Profile == KernelProfile.Seed && tables.Types.Count == 0)
        {
            return Errno.EINVAL;
        }

        if (FindDuplicateType(device, tables.Types) is { } duplicate)
        {
            Log.DuplicateFilename(_logger, device.SysfsPath + "/mdev_supported_types/" + duplicate);
            return Errno.EEXIST;
        }

        // The parent holds its device from here to the end of unregistration: DeleteDevice refuses it with EBUSY, and
        // once a delete has begun the hold fails.
        if (!device.TryHold())
        {
            return Errno.ENODEV;
        }

        if (!device.IsRegistered || device.Directory is null)
        {
            device.ReleaseHold();
            return Errno.ENODEV;
        }

        var parent = new MdevParent(this, device, ops, options, tables);
        Errno error = Reserve(parent);
        if (error != Errno.None)
        {
            device.ReleaseHold();
            return error;
        }

        error = Profile == KernelProfile.Modern ? AttachParentDriver(parent) : Errno.None;
        if (error == Errno.None)
        {
            error = CreateParentSysfs(parent);
        }

        if (error != Errno.None)
        {
            TearDown(parent);
            return error;
        }

        // The seed created the compat class lazily, at the first registration.
        CompatClass ??= _model.GetOrCreateClass("mdev_bus");
        if (_tree.CreateLink(CompatClass.Directory, device.Name, device.Directory) != Errno.None)
        {
            Log.ClassLinkFailed(_logger, device.Name);
        }

        if (!parent.VendorCountsInstances && options.MaxInstances == 0 && Profile == KernelProfile.Modern)
        {
            Log.NoInstanceBudget(_logger, device.Name);
        }

        lock (_listLock)
        {
            parent.State = MdevParent.ParentState.Registered;
        }

        Log.ParentRegistered(_logger, device.Name);
        if (Profile == KernelProfile.Modern)
        {
            _uevents.Raise(device, UEventAction.Change, [new("MDEV_STATE", "registered")]);
        }

        return parent;
    }

    /// <summary>Two types with one sysfs name would collide in <c>mdev_supported_types</c>; found before anything is made.</summary>
    private static string? FindDuplicateType(Device device, IReadOnlyList<MdevTypeInfo> types)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (MdevTypeInfo info in types)
        {
            if (!seen.Add(info.SysfsName))
            {
                return device.DriverString + "-" + info.SysfsName;
            }
        }

        return null;
    }

    /// <summary>Puts the parent in the table (state Registering): a second registration of the device fails.</summary>
    private Errno Reserve(MdevParent parent)
    {
        lock (_listLock)
        {
            if (_parents.ContainsKey(parent.Device))
            {
                if (Profile == KernelProfile.Modern)
                {
                    // 6.x does not look: the second mdev_supported_types kset collides and kset_create_and_add fails.
                    Log.DuplicateFilename(_logger, parent.Device.SysfsPath + "/mdev_supported_types");
                    return Errno.ENOMEM;
                }

                return Errno.EEXIST;
            }

            _parents.Add(parent.Device, parent); // Published when State becomes Registered.
            return Errno.None;
        }
    }

    /// <summary>
    /// Undoes a registration that failed after its parent was reserved, whatever got made: creates that slipped in
    /// are refused from now on and their devices removed, then the files, the driver, the table entry and the hold go.
    /// </summary>
    private void TearDown(MdevParent parent)
    {
        CloseGate(parent);
        RemoveChildren(parent);
        RemoveParentSysfs(parent);
        DetachParentDriver(parent);
        lock (_listLock)
        {
            parent.State = MdevParent.ParentState.Unregistered;
            _ = _parents.Remove(parent.Device);
        }

        parent.Device.ReleaseHold();
    }

    /// <summary>
    /// down_write(unreg_sem): waits for the creates and removes in flight; later ones fail with ENODEV. The wait is bounded
    /// by <see cref="MdevHostOptions.RemoveWaitTimeout"/> (infinite by default, as in the kernel), so that a vendor
    /// callback that unregisters its own parent gets through under a finite bound.
    /// </summary>
    private void CloseGate(MdevParent parent)
    {
        if (!parent.Gate.CloseAndWait(RemoveWaitTimeout))
        {
            Log.UnregisterWaitTimedOut(_logger, parent.Device.Name, RemoveWaitTimeout);
        }
    }

    /// <summary>Every child goes, in creation order; one misbehaving vendor callback cannot stop the walk. A create
    /// still in flight (after a timed-out gate) that finishes later sees <see cref="MdevParent.ChildrenWalked"/> and
    /// removes its own device.</summary>
    private void RemoveChildren(MdevParent parent)
    {
        parent.MarkChildrenWalked();
        foreach (MdevDevice mdev in GetDevicesOf(parent))
        {
            // A device whose create is still in flight (possible only after a timed-out gate) is left to that create, which
            // sees ChildrenWalked and removes it. A created one goes, even if a remove has deactivated it and then found
            // the gate closed; a removal already claimed by another thread is not repeated.
            if (mdev.IsRegistered && mdev.WasCreated)
            {
                RemoveCommon(mdev, force: true);
            }
        }
    }

    /// <summary>Modern profile: the driver new devices bind to — the requested one, or the vendor's own (shared by name).</summary>
    private Errno AttachParentDriver(MdevParent parent)
    {
        if (parent.RequestedDriver is { } requested)
        {
            if (!requested.IsRegistered || !ReferenceEquals(requested.Bus, Bus))
            {
                return Errno.EINVAL;
            }

            parent.Driver = requested;
            return Errno.None;
        }

        string name = parent.RequestedDriverName ?? parent.Device.DriverString;

        // Held across the driver's registration, so two first users, or a first user and the last one leaving, never
        // both see "no driver yet" (the loser would get EBUSY from the driver core).
        lock (_implicitDriverLock)
        {
            if (!_implicitDrivers.TryGetValue(name, out ImplicitDriver? shared))
            {
                Result<DeviceDriver> registered = _model.RegisterDriver(Bus, new MdevDriverAdapter(this, null, name));
                if (!registered.TryGetValue(out DeviceDriver? driver))
                {
                    return registered.Error;
                }

                shared = new ImplicitDriver(driver);
                _implicitDrivers.Add(name, shared);
            }

            shared.Users++;
            parent.Driver = shared.Driver;
            parent.OwnsImplicitDriver = true;
            return Errno.None;
        }
    }

    private void DetachParentDriver(MdevParent parent)
    {
        if (!parent.OwnsImplicitDriver || parent.Driver is not { } driver)
        {
            return;
        }

        lock (_implicitDriverLock)
        {
            ImplicitDriver shared = _implicitDrivers[driver.Name];
            if (--shared.Users == 0)
            {
                _ = _implicitDrivers.Remove(driver.Name);

                // The last parent's devices are gone, so no device is bound to it and no driver callback runs here.
                _ = _model.UnregisterDriver(driver);
            }
        }

        parent.OwnsImplicitDriver = false;
    }

    private Errno UnregisterParentCore(MdevParent parent)
    {
        lock (_listLock)
        {
            if (parent.State != MdevParent.ParentState.Registered)
            {
                return Errno.ENODEV;
            }

            parent.State = MdevParent.ParentState.Unregistering;
        }

        Device device = parent.Device;
        Log.ParentUnregistering(_logger, device.Name);

        CloseGate(parent);
        if (CompatClass is { } compat)
        {
            _ = _tree.RemoveLink(compat.Directory, device.Name, device.Directory);
        }

        RemoveChildren(parent);
        RemoveParentSysfs(parent);
        DetachParentDriver(parent);
        lock (_listLock)
        {
            parent.State = MdevParent.ParentState.Unregistered;
            _ = _parents.Remove(device);
        }

        device.ReleaseHold();

        if (Profile == KernelProfile.Modern)
        {
            _uevents.Raise(device, UEventAction.Change, [new("MDEV_STATE", "unregistered")]);
        }

        return Errno.None;
    }
}
