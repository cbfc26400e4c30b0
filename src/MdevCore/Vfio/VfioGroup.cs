using MdevCore.DriverModel;
using MdevCore.Iommu;
using MdevCore.Mediated;

namespace MdevCore.Vfio;

/// <summary>An open VFIO group (<c>/dev/vfio/&lt;N&gt;</c>): attach it to a container, then get its devices by name.</summary>
/// <remarks>
/// While open, the group holds its own reference on the IOMMU group (the seed review's rule for
/// long-lived holders). Dispose closes it: the container is left and the reference dropped.
/// Thread safety: thread-safe.
/// </remarks>
public sealed class VfioGroup : IDisposable
{
    /// <summary>VFIO_GROUP_FLAGS_VIABLE.</summary>
    public const uint FlagViable = 1;

    /// <summary>VFIO_GROUP_FLAGS_CONTAINER_SET.</summary>
    public const uint FlagContainerSet = 2;

    private readonly Lock _lock = new();
    private readonly VfioHost _host;
    private readonly Lease<IommuGroup> _lease;
    private readonly List<MdevDeviceHandle> _handles = [];
    private bool _closed;

    internal VfioGroup(VfioHost host, Lease<IommuGroup> lease)
    {
        _host = host;
        _lease = lease;
    }

    /// <summary>The group number.</summary>
    public int Id => _lease.Target.Id;

    /// <summary>The container, or <see langword="null"/>.</summary>
    public VfioContainer? Container { get; private set; }

    /// <summary>VFIO_GROUP_GET_STATUS.</summary>
    /// <returns><see cref="FlagViable"/> when every member device is bound to a driver, plus <see cref="FlagContainerSet"/>.</returns>
    public uint GetStatus()
    {
        lock (_lock)
        {
            IReadOnlyList<Device> members = _lease.Target.GetMembers();
            uint flags = members.Count > 0 && members.All(d => d.Driver is not null) ? FlagViable : 0;
            return Container is null ? flags : flags | FlagContainerSet;
        }
    }

    /// <summary>VFIO_GROUP_SET_CONTAINER.</summary>
    /// <param name="container">The container.</param>
    /// <returns><see cref="Errno.EBADF"/> after close; <see cref="Errno.EINVAL"/> if the group already has a container.</returns>
    public Errno SetContainer(VfioContainer container)
    {
        ArgumentNullException.ThrowIfNull(container);
        lock (_lock)
        {
            if (_closed)
            {
                return Errno.EBADF;
            }

            if (Container is not null)
            {
                return Errno.EINVAL;
            }

            Container = container;
            container.Attach(this);
            return Errno.None;
        }
    }

    /// <summary>VFIO_GROUP_UNSET_CONTAINER.</summary>
    /// <returns><see cref="Errno.EINVAL"/> without a container; <see cref="Errno.EBUSY"/> while a device of the group is open.</returns>
    public Errno UnsetContainer()
    {
        lock (_lock)
        {
            if (Container is null)
            {
                return Errno.EINVAL;
            }

            _ = _handles.RemoveAll(h => h.IsClosed);
            if (_handles.Count > 0)
            {
                return Errno.EBUSY;
            }

            Container.Detach(this);
            Container = null;
            return Errno.None;
        }
    }

    /// <summary>VFIO_GROUP_GET_DEVICE_FD: opens a member device by name (an mdev's UUID).</summary>
    /// <param name="name">The device name.</param>
    /// <returns>The open device; <see cref="Errno.ENODEV"/> for a name that is not a member; <see cref="Errno.EINVAL"/>
    /// until the group is in a container with an IOMMU model; or the errno of <see cref="MdevDevice.Open"/>. The modern
    /// profile looks the name up first (vfio_device_get_from_name, then vfio_df_group_open's check), the seed checks the
    /// container first (v4.10 vfio_group_get_device_fd).</returns>
    public Result<MdevDeviceHandle> GetDevice(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            if (_closed)
            {
                return Errno.EBADF;
            }

            bool viable = Container is not null && Container.IommuType != 0;
            bool seed = _host.Profile == KernelProfile.Seed;
            if (seed && !viable)
            {
                return Errno.EINVAL;
            }

            MdevDevice? device = _lease.Target.GetMembers().OfType<MdevDevice>().FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.Ordinal));
            if (device is null)
            {
                return Errno.ENODEV;
            }

            if (!viable)
            {
                return Errno.EINVAL;
            }

            Result<MdevDeviceHandle> handle = device.Open();
            if (handle.TryGetValue(out MdevDeviceHandle? open))
            {
                _handles.Add(open);
            }

            return handle;
        }
    }

    /// <summary>Closes the group: leaves the container (dropping its mappings if it was the last group) and drops the IOMMU group reference.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            Container?.Detach(this);
            Container = null;
        }

        _host.Closed(this);
        _lease.Dispose(); // Pairs with the Acquire in VfioHost.OpenGroup.
    }
}
