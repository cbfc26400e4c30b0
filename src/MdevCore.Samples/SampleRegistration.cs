using MdevCore.DriverModel;
using MdevCore.Mediated;

namespace MdevCore.Samples;

/// <summary>
/// How a sample loads into a host and leaves it, as the kernel samples' module init and exit do: a class
/// device <c>/sys/devices/virtual/&lt;name&gt;/&lt;name&gt;</c>, then the parent registration; unloading undoes
/// both. One instance per driver object, which may be loaded into one host at a time.
/// </summary>
/// <remarks>Thread safety: load and unload from one thread at a time, as module init and exit run.</remarks>
internal sealed class SampleRegistration(string name)
{
    private MdevHost? _host;

    /// <summary>The parent while loaded, else <see langword="null"/>.</summary>
    public MdevParent? Parent { get; private set; }

    /// <summary>Whether the driver is loaded.</summary>
    public bool IsLoaded => Parent is not null;

    /// <summary>Adds the class device and registers <paramref name="ops"/> on it.</summary>
    /// <returns>The parent; <see cref="Errno.EBUSY"/> when already loaded; or the errno of the step that failed
    /// (a failed registration removes the class device again).</returns>
    public Result<MdevParent> Register(MdevHost host, IMdevParentOps ops, MdevParentOptions? options)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (IsLoaded)
        {
            return Errno.EBUSY;
        }

        Result<Device> added = host.DeviceModel.AddVirtualDevice(name, name);
        if (!added.TryGetValue(out Device? device))
        {
            return added.Error;
        }

        Result<MdevParent> parent = host.Mdev.RegisterParent(device, ops, options);
        if (!parent.Succeeded)
        {
            _ = host.DeviceModel.DeleteDevice(device); // Undo the device_register above.
            return parent;
        }

        _host = host;
        Parent = parent.Value;
        return parent;
    }

    /// <summary>Unregisters the parent (every device is removed, open ones waited for) and deletes the class device.</summary>
    /// <returns><see cref="Errno.ENODEV"/> when not loaded; or the errno of the step that failed.</returns>
    public Errno Unregister()
    {
        if (Parent is not { } parent || _host is not { } host)
        {
            return Errno.ENODEV;
        }

        Parent = null;
        _host = null;
        Errno error = host.Mdev.UnregisterParent(parent);
        return error != Errno.None ? error : host.DeviceModel.DeleteDevice(parent.Device);
    }
}
