using MdevCore.Iommu;

namespace MdevCore.Vfio;

/// <summary>The VFIO layer of one host: groups are opened by IOMMU group id, containers are created on demand.</summary>
/// <remarks>Thread safety: thread-safe.</remarks>
public sealed class VfioHost
{
    private readonly Lock _lock = new();
    private readonly IommuGroupRegistry _groups;
    private readonly HashSet<int> _open = [];

    internal VfioHost(IommuGroupRegistry groups, KernelProfile profile = KernelProfile.Modern)
    {
        _groups = groups;
        Profile = profile;
    }

    /// <summary>The kernel generation whose VFIO checks the groups follow.</summary>
    internal KernelProfile Profile { get; }

    /// <summary>Eventfd-like triggers by number, for SET_IRQS payloads.</summary>
    public EventTriggerTable EventFds { get; } = new();

    /// <summary>The host's migration data files by number (the <c>data_fd</c> of VFIO_DEVICE_FEATURE MIG_DEVICE_STATE).</summary>
    public VfioFileTable Files { get; } = new();

    /// <summary>Opens <c>/dev/vfio/&lt;id&gt;</c>.</summary>
    /// <param name="id">The IOMMU group id (the target of a device's <c>iommu_group</c> link).</param>
    /// <returns>The group; <see cref="Errno.ENOENT"/> if no such group is alive; <see cref="Errno.EBUSY"/> if it is already open.</returns>
    public Result<VfioGroup> OpenGroup(int id)
    {
        lock (_lock)
        {
            if (_open.Contains(id))
            {
                return Errno.EBUSY;
            }

            Result<Lease<IommuGroup>> lease = _groups.Acquire(id);
            if (!lease.TryGetValue(out Lease<IommuGroup>? held))
            {
                return lease.Error;
            }

            _ = _open.Add(id);
            return new VfioGroup(this, held);
        }
    }

    /// <summary>Opens <c>/dev/vfio/vfio</c>: a new, empty container.</summary>
    /// <returns>The container.</returns>
    public static VfioContainer CreateContainer() => new();

    internal void Closed(VfioGroup group)
    {
        lock (_lock)
        {
            _ = _open.Remove(group.Id);
        }
    }
}
