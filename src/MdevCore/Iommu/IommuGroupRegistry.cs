using System.Globalization;
using MdevCore.DriverModel;
using MdevCore.Internal;
using MdevCore.Sysfs;

namespace MdevCore.Iommu;

/// <summary>The IOMMU groups of one host, numbered like the kernel's IDA (smallest free id first).</summary>
/// <remarks>
/// <c>/sys/kernel/iommu_groups</c> is rendered from this registry on lookup: a group costs no sysfs
/// nodes until someone looks at it. Thread safety: thread-safe. The registry lock ranks below the
/// mdev list lock and above the sysfs tree lock; sysfs rendering reads lock-free snapshots.
/// </remarks>
public sealed class IommuGroupRegistry
{
    private readonly Lock _lock = new();
    private readonly IdAllocator _ids = new();

    /// <summary>Live groups indexed by id (ids are dense: the allocator hands out the smallest free one).
    /// Written under the lock, replaced whole when it grows, read without a lock.</summary>
    private volatile IommuGroup?[] _groups = new IommuGroup?[16];
    private int _count;
    private readonly SysfsDirectory _root;
    private readonly KernelProfile _profile;

    internal IommuGroupRegistry(SysfsTree tree, KernelProfile profile = KernelProfile.Modern)
    {
        _profile = profile;
        _root = tree.CreateDirectory(tree.Kernel, "iommu_groups", new RootSource(this)).Value;
    }

    /// <summary>Number of live groups.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Takes a reference on a live group (<c>iommu_group_get</c> by id); dispose the lease to drop it.</summary>
    /// <param name="id">The group id.</param>
    /// <returns>The lease, or <see cref="Errno.ENOENT"/> if no such group is alive.</returns>
    public Result<Lease<IommuGroup>> Acquire(int id)
    {
        if (Find(id) is not { } group || !group.TryGet())
        {
            return Errno.ENOENT;
        }

        // Pairs with the Put run by disposing the lease.
        return new Lease<IommuGroup>(group, static g => g.Put());
    }

    /// <summary>The ids of the live groups, ascending.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<int> GetIds()
    {
        var ids = new List<int>();
        foreach (IommuGroup? group in _groups)
        {
            if (group is not null)
            {
                ids.Add(group.Id);
            }
        }

        return ids;
    }

    private IommuGroup? Find(int id)
    {
        IommuGroup?[] groups = _groups;
        return (uint)id < (uint)groups.Length ? Volatile.Read(ref groups[id]) : null;
    }

    /// <summary>iommu_group_alloc and iommu_group_add_device in one step, under one lock: the group the
    /// mdev core gives each new mdev. The allocator's reference becomes the member's; membership keeps the group alive.</summary>
    /// <returns><see cref="Errno.EBUSY"/> if the device already has a group.</returns>
    internal Errno AllocateFor(Device device, string? name)
    {
        lock (_lock)
        {
            if (device.IommuGroup is not null)
            {
                return Errno.EBUSY;
            }

            // The allocator's reference becomes the device's reference on the group (a get and a put that cancel out).
            IommuGroup group = Allocate_NeedsLock(name);
            device.Get(); // The group's reference on the device; pairs with the Put in RemoveDevice.
            group.AddMember_NeedsLock(device);
            device.IommuGroup = group;
        }

        return Errno.None;
    }

    private IommuGroup Allocate_NeedsLock(string? name)
    {
        var group = new IommuGroup(this, _ids.Allocate(), name);
        IommuGroup?[] groups = _groups;
        if (group.Id >= groups.Length)
        {
            Array.Resize(ref groups, Math.Max(groups.Length * 2, group.Id + 1));
            _groups = groups;
        }

        Volatile.Write(ref groups[group.Id], group);
        _count++;
        return group;
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

            // Pairs with the allocation reference the member took over in AllocateFor; the last one releases the group here.
            if (group.PutAndCheckLast())
            {
                Release_NeedsLock(group);
            }
        }

        device.Put(); // Pairs with the Get in AllocateFor; outside the lock, since a release reaches the mdev list.
    }

    /// <summary>The last reference is gone: the directory disappears and the id becomes free.</summary>
    internal void Release(IommuGroup group)
    {
        lock (_lock)
        {
            Release_NeedsLock(group);
        }
    }

    private void Release_NeedsLock(IommuGroup group)
    {
        IommuGroup?[] groups = _groups;
        if (ReferenceEquals(groups[group.Id], group))
        {
            Volatile.Write(ref groups[group.Id], null);
            _count--;
        }

        _ids.Release(group.Id);
    }

    /// <summary>A node for a group's directory (called under the tree lock, or outside it for a link target).</summary>
    internal SysfsDirectory MakeDirectory(IommuGroup group) =>
        new(group.IdText, _root, AttributesOf(group), group, source: GroupSource.Instance);

    /// <summary>v4.10's iommu_group_alloc made only <c>devices/</c> (and <c>name</c> once set); <c>reserved_regions</c>
    /// came in 4.11 and <c>type</c> in 5.2 (writable since 5.11).</summary>
    private AttributeGroup AttributesOf(IommuGroup group) => (_profile, group.Name) switch
    {
        (KernelProfile.Seed, null) => SeedUnnamedAttributes,
        (KernelProfile.Seed, _) => SeedNamedAttributes,
        (_, null) => UnnamedAttributes,
        _ => NamedAttributes,
    };

    private static readonly AttributeGroup SeedUnnamedAttributes = new(null, []);

    private static readonly AttributeGroup SeedNamedAttributes = new(null, [SysfsAttribute.ReadOnly<IommuGroup>("name", static g => g.Name + "\n")]);

    /// <summary>iommu_group_show_type / iommu_group_store_type (mode 0644): a group with no default domain, as every
    /// emulated mdev group is, reads <c>unknown</c>, and changing its type is <see cref="Errno.EINVAL"/>.</summary>
    private static readonly SysfsAttribute TypeAttribute = SysfsAttribute.ReadWrite("type", static _ => "unknown\n", static (_, _) => Errno.EINVAL);

    private static readonly AttributeGroup UnnamedAttributes = new(null,
    [
        SysfsAttribute.Constant("reserved_regions", string.Empty),
        TypeAttribute,
    ]);

    private static readonly AttributeGroup NamedAttributes = new(null,
    [
        SysfsAttribute.ReadOnly<IommuGroup>("name", static g => g.Name + "\n"),
        SysfsAttribute.Constant("reserved_regions", string.Empty),
        TypeAttribute,
    ]);

    /// <summary>Renders <c>/sys/kernel/iommu_groups/&lt;id&gt;</c> for each live group.</summary>
    private sealed class RootSource(IommuGroupRegistry registry) : ISysfsChildSource
    {
        public SysfsNode? Find(SysfsDirectory directory, ReadOnlySpan<char> name)
        {
            // Only the canonical decimal spelling names a group ("03" does not).
            if (name.IsEmpty || (name.Length > 1 && name[0] == '0') || !int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            {
                return null;
            }

            return registry.Find(id) is { IsAlive: true } group ? registry.MakeDirectory(group) : null;
        }

        public IEnumerable<SysfsNode> List(SysfsDirectory directory)
        {
            foreach (IommuGroup? group in registry._groups)
            {
                if (group is { IsAlive: true })
                {
                    yield return registry.MakeDirectory(group);
                }
            }
        }
    }

    /// <summary>Renders a group's <c>devices</c> directory.</summary>
    private sealed class GroupSource : ISysfsChildSource
    {
        public static readonly GroupSource Instance = new();

        public SysfsNode? Find(SysfsDirectory directory, ReadOnlySpan<char> name) =>
            name.SequenceEqual("devices") ? new SysfsDirectory("devices", directory, defaultsOwner: directory.Owner, source: MembersSource.Instance) : null;

        public IEnumerable<SysfsNode> List(SysfsDirectory directory) => [Find(directory, "devices")!];
    }

    /// <summary>Renders one link per member device in a group's <c>devices</c> directory.</summary>
    private sealed class MembersSource : ISysfsChildSource
    {
        public static readonly MembersSource Instance = new();

        public SysfsNode? Find(SysfsDirectory directory, ReadOnlySpan<char> name)
        {
            foreach (Device member in ((IommuGroup)directory.Owner!).Members)
            {
                if (name.SequenceEqual(member.Name) && member.Directory is { IsRemoved: false } target)
                {
                    return new SysfsSymlink(member.Name, directory, target);
                }
            }

            return null;
        }

        public IEnumerable<SysfsNode> List(SysfsDirectory directory)
        {
            foreach (Device member in ((IommuGroup)directory.Owner!).Members)
            {
                if (member.Directory is { IsRemoved: false } target)
                {
                    yield return new SysfsSymlink(member.Name, directory, target);
                }
            }
        }
    }
}
