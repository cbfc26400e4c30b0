using MdevCore.DriverModel;
using MdevCore.Internal;
using MdevCore.Sysfs;

namespace MdevCore.Iommu;

/// <summary>The IOMMU groups of one host, numbered like the kernel's IDA (smallest free id first).</summary>
/// <remarks>Thread safety: thread-safe. The registry lock ranks below the mdev list lock and above the sysfs tree lock.</remarks>
public sealed class IommuGroupRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, IommuGroup> _groups = [];
    private readonly IdAllocator _ids = new();
    private readonly SysfsTree _tree;
    private readonly SysfsDirectory _root;

    internal IommuGroupRegistry(SysfsTree tree)
    {
        _tree = tree;
        _root = tree.CreateDirectory(tree.Kernel, "iommu_groups").Value;
    }

    internal Lock SyncRoot => _lock;

    /// <summary>Number of live groups.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _groups.Count;
            }
        }
    }

    /// <summary>Takes a reference on a live group (<c>iommu_group_get</c> by id); dispose the lease to drop it.</summary>
    /// <param name="id">The group id.</param>
    /// <returns>The lease, or <see cref="Errno.ENOENT"/> if no such group is alive.</returns>
    public Result<Lease<IommuGroup>> Acquire(int id)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue(id, out IommuGroup? group) || !group.TryGet())
            {
                return Errno.ENOENT;
            }

            // Pairs with the Put run by disposing the lease.
            return new Lease<IommuGroup>(group, static g => g.Put());
        }
    }

    /// <summary>The ids of the live groups, ascending.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<int> GetIds()
    {
        lock (_lock)
        {
            var ids = new List<int>(_groups.Keys);
            ids.Sort();
            return ids;
        }
    }

    /// <summary>iommu_group_alloc: a new group holding one reference for the caller.</summary>
    internal IommuGroup Allocate(string? name)
    {
        int id = _ids.Allocate();
        string idText = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var group = new IommuGroup(this, id, name);
        SysfsDirectory dir = _tree.CreateDirectory(_root, idText, name is null ? UnnamedAttributes : NamedAttributes, group).Value;
        group.Directory = dir;
        group.DevicesDirectory = _tree.CreateDirectory(dir, "devices").Value;
        lock (_lock)
        {
            _groups.Add(id, group);
        }

        return group;
    }

    /// <summary>iommu_group_add_device: the device and the group reference each other; <c>iommu_group</c> links appear.</summary>
    internal Errno AddDevice(IommuGroup group, Device device)
    {
        lock (_lock)
        {
            if (device.IommuGroup is not null)
            {
                return Errno.EBUSY;
            }

            group.Get(); // The device's reference on the group; pairs with the Put in RemoveDevice.
            device.Get(); // The group's reference on the device; pairs with the Put in RemoveDevice.
            group.AddMember_NeedsLock(device);
            device.IommuGroup = group;
        }

        _ = _tree.CreateLink(group.DevicesDirectory, device.Name, device.Directory!);
        return Errno.None;
    }

    /// <summary>iommu_group_remove_device: drops both membership references.</summary>
    internal void RemoveDevice(Device device)
    {
        IommuGroup? group;
        lock (_lock)
        {
            group = device.IommuGroup;
            if (group is null)
            {
                return;
            }

            group.RemoveMember_NeedsLock(device);
            device.IommuGroup = null;
        }

        _ = _tree.RemoveChild(group.DevicesDirectory, device.Name);
        device.Put(); // Pairs with the Get in AddDevice.
        group.Put(); // Pairs with the Get in AddDevice; may release the group.
    }

    /// <summary>The last reference is gone: the directory disappears and the id becomes free.</summary>
    internal void Release(IommuGroup group)
    {
        lock (_lock)
        {
            _ = _groups.Remove(group.Id);
        }

        _tree.Remove(group.Directory);
        _ids.Release(group.Id);
    }

    private static readonly AttributeGroup UnnamedAttributes = new(null,
    [
        SysfsAttribute.Constant("reserved_regions", string.Empty),
        SysfsAttribute.ReadOnly<IommuGroup>("type", static _ => "blocked\n"),
    ]);

    private static readonly AttributeGroup NamedAttributes = new(null,
    [
        SysfsAttribute.ReadOnly<IommuGroup>("name", static g => g.Name + "\n"),
        SysfsAttribute.Constant("reserved_regions", string.Empty),
        SysfsAttribute.ReadOnly<IommuGroup>("type", static _ => "blocked\n"),
    ]);
}
