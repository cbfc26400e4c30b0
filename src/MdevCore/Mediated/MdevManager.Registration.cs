using MdevCore.Diagnostics;
using MdevCore.DriverModel;
using MdevCore.Sysfs;

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

        // The seed serialized every registration and unregistration on the global parent_list_lock.
        Lock? seedLock = Profile == KernelProfile.Seed ? _seedRegistrationLock : null;
        seedLock?.Enter();
        try
        {
            Result<MdevParent> result = RegisterParentCore(device, ops, options);
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

    private Result<MdevParent> RegisterParentCore(Device device, IMdevParentOps ops, MdevParentOptions options)
    {
        if (!device.IsRegistered || device.Directory is null)
        {
            return Errno.ENODEV;
        }

        IReadOnlyList<MdevTypeInfo> infos = ops.SupportedTypes ?? throw new ArgumentException("SupportedTypes is null.", nameof(ops));
        if (Profile == KernelProfile.Seed && infos.Count == 0)
        {
            return Errno.EINVAL;
        }

        var parent = new MdevParent(this, device, ops, options);
        lock (_listLock)
        {
            if (_parents.ContainsKey(device))
            {
                if (Profile == KernelProfile.Modern)
                {
                    // 6.x does not look: the second mdev_supported_types kset collides and kset_create_and_add fails.
                    Log.DuplicateFilename(_logger, device.SysfsPath + "/mdev_supported_types");
                    return Errno.ENOMEM;
                }

                return Errno.EEXIST;
            }

            _parents.Add(device, parent); // Reserved; published when State becomes Registered.
        }

        Errno error = CreateParentSysfs(parent, infos);
        if (error == Errno.None && Profile == KernelProfile.Modern)
        {
            error = AttachParentDriver(parent);
        }

        if (error != Errno.None)
        {
            RemoveParentSysfs(parent);
            lock (_listLock)
            {
                _ = _parents.Remove(device);
            }

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

    /// <summary>parent_create_sysfs_files: the kset, one directory per type, then the vendor's parent groups.</summary>
    private Errno CreateParentSysfs(MdevParent parent, IReadOnlyList<MdevTypeInfo> infos)
    {
        Result<SysfsDirectory> kset = _tree.CreateDirectory(parent.Device.Directory!, "mdev_supported_types");
        if (!kset.TryGetValue(out SysfsDirectory? typesDir))
        {
            Log.DuplicateFilename(_logger, parent.Device.SysfsPath + "/mdev_supported_types");
            return Errno.ENOMEM;
        }

        parent.TypesDirectory = typesDir;
        string prefix = parent.Device.DriverString;
        var types = new MdevType[infos.Count];
        for (int i = 0; i < infos.Count; i++)
        {
            MdevTypeInfo info = infos[i] ?? throw new ArgumentException("SupportedTypes contains null.", nameof(infos));
            var type = new MdevType(parent, info, prefix + "-" + info.SysfsName);
            Result<SysfsDirectory> dir = _tree.CreateDirectory(typesDir, type.Id);
            if (!dir.Succeeded)
            {
                Log.DuplicateFilename(_logger, typesDir.FullPath + "/" + type.Id);
                return dir.Error;
            }

            // The type's parent is set before its attributes become visible (the 2021 NULL-parent fix).
            type.Directory = dir.Value;
            _tree.AddGroup(dir.Value, TypeAttributes, type).ThrowIfFailed();
            type.DevicesDirectory = _tree.CreateDirectory(dir.Value, "devices", new TypeDevicesSource(type, Bus)).Value;
            types[i] = type;
        }

        parent.SetTypes(types);
        if (parent.Ops is IMdevParentAttributeGroups parentGroups)
        {
            var added = new List<AttributeGroup>();
            foreach (AttributeGroup group in parentGroups.ParentAttributeGroups)
            {
                Errno error = _tree.AddGroup(parent.Device.Directory!, group, parent.Device);
                if (error != Errno.None)
                {
                    foreach (AttributeGroup undo in added)
                    {
                        _tree.RemoveGroup(parent.Device.Directory!, undo);
                    }

                    return error;
                }

                added.Add(group);
            }
        }

        return Errno.None;
    }

    /// <summary>parent_remove_sysfs_files: vendor parent groups, then the type directories and the kset.</summary>
    private void RemoveParentSysfs(MdevParent parent)
    {
        if (parent.Ops is IMdevParentAttributeGroups parentGroups && parent.TypesDirectory is not null)
        {
            foreach (AttributeGroup group in parentGroups.ParentAttributeGroups)
            {
                _tree.RemoveGroup(parent.Device.Directory!, group);
            }
        }

        if (parent.TypesDirectory is { } typesDir)
        {
            _tree.Remove(typesDir);
            parent.TypesDirectory = null;
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
        lock (_listLock)
        {
            if (_implicitDrivers.TryGetValue(name, out ImplicitDriver? shared))
            {
                shared.Users++;
                parent.Driver = shared.Driver;
                parent.OwnsImplicitDriver = true;
                return Errno.None;
            }
        }

        Result<DeviceDriver> registered = _model.RegisterDriver(Bus, new MdevDriverAdapter(this, null, name));
        if (!registered.TryGetValue(out DeviceDriver? driver))
        {
            return registered.Error;
        }

        lock (_listLock)
        {
            _implicitDrivers.Add(name, new ImplicitDriver(driver) { Users = 1 });
        }

        parent.Driver = driver;
        parent.OwnsImplicitDriver = true;
        return Errno.None;
    }

    private void DetachParentDriver(MdevParent parent)
    {
        if (!parent.OwnsImplicitDriver || parent.Driver is not { } driver)
        {
            return;
        }

        bool last;
        lock (_listLock)
        {
            ImplicitDriver shared = _implicitDrivers[driver.Name];
            last = --shared.Users == 0;
            if (last)
            {
                _ = _implicitDrivers.Remove(driver.Name);
            }
        }

        if (last)
        {
            _ = _model.UnregisterDriver(driver);
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

        // down_write(unreg_sem): wait for creates and removes in flight; later ones fail with ENODEV.
        parent.Gate.CloseAndWait();
        if (CompatClass is { } compat)
        {
            _ = _tree.RemoveLink(compat.Directory, device.Name, device.Directory);
        }

        // Every child goes, in creation order; one misbehaving vendor callback cannot stop the walk.
        foreach (MdevDevice mdev in GetDevicesOf(parent))
        {
            if (mdev.IsRegistered)
            {
                RemoveCommon(mdev, force: true);
            }
        }

        RemoveParentSysfs(parent);
        DetachParentDriver(parent);
        lock (_listLock)
        {
            parent.State = MdevParent.ParentState.Unregistered;
            _ = _parents.Remove(device);
        }

        if (Profile == KernelProfile.Modern)
        {
            _uevents.Raise(device, UEventAction.Change, [new("MDEV_STATE", "unregistered")]);
        }

        return Errno.None;
    }
}
