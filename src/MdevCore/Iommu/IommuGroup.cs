using System.Globalization;
using MdevCore.DriverModel;
using MdevCore.Internal;
using MdevCore.Sysfs;

namespace MdevCore.Iommu;

/// <summary>An IOMMU group: <c>/sys/kernel/iommu_groups/&lt;id&gt;/</c> and its member devices.</summary>
/// <remarks>
/// Kernel: <c>struct iommu_group</c>. Reference rules (from the seed review): whoever allocates a
/// group drops its allocation reference once the device is added; membership keeps the group alive
/// (the device holds the group and the group holds the device until the device is removed); any
/// long-lived holder takes its own reference through <see cref="IommuGroupRegistry.Acquire"/>.
/// The group's sysfs directory is rendered from this object when looked up.
/// Thread safety: thread-safe.
/// </remarks>
public sealed class IommuGroup
{
    private readonly IommuGroupRegistry _registry;
    private RefCounter _ref = RefCounter.Initialized();
    /// <summary>No member (<see langword="null"/>), the one member (a <see cref="Device"/>: an mdev's group, kept
    /// without an array), or the members (a <see cref="Device"/> array); replaced whole under the registry lock.</summary>
    private volatile object? _members;

    internal IommuGroup(IommuGroupRegistry registry, int id, string? name)
    {
        _registry = registry;
        Id = id;
        Name = name;
    }

    /// <summary>The group number: the directory name and the <c>/dev/vfio/&lt;id&gt;</c> minor name.</summary>
    public int Id { get; }

    /// <summary>The value of the <c>name</c> attribute (<c>vfio-noiommu</c> for emulated groups), or <see langword="null"/> when there is none.</summary>
    public string? Name { get; }

    /// <summary>The sysfs path, for example <c>/sys/kernel/iommu_groups/3</c>.</summary>
    public string SysfsPath => "/sys/kernel/iommu_groups/" + IdText;

    /// <summary>Whether the group is still alive (not released).</summary>
    public bool IsAlive => _ref.Count > 0;

    /// <summary>The current reference count; for diagnostics and leak checks.</summary>
    public int ReferenceCount => _ref.Count;

    /// <summary>The member devices (an mdev's group has exactly one).</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<Device> GetMembers() => Members;

    /// <summary>A node for the group's directory, made now (the registry renders it on demand).</summary>
    internal SysfsDirectory Directory => _registry.MakeDirectory(this);

    internal Device[] Members => _members switch
    {
        null => [],
        Device single => [single],
        object many => (Device[])many,
    };

    internal string IdText => Id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Copy-on-write, so that sysfs rendering can read the members without the registry lock.</summary>
    internal void AddMember_NeedsLock(Device device) => _members = _members is null ? device : (Device[])[.. Members, device];

    internal void RemoveMember_NeedsLock(Device device)
    {
        if (ReferenceEquals(_members, device))
        {
            _members = null;
            return;
        }

        Device[] members = Members;
        int index = Array.IndexOf(members, device);
        if (index >= 0)
        {
            _members = members.Length == 2 ? members[1 - index] : (Device[])[.. members[..index], .. members[(index + 1)..]];
        }
    }

    internal void Get() => _ref.Get();

    internal bool TryGet() => _ref.TryGet();

    /// <summary>Drops a reference without releasing; the caller, holding the registry lock, releases when this returns <see langword="true"/>.</summary>
    internal bool PutAndCheckLast() => _ref.Put();

    internal void Put()
    {
        if (_ref.Put())
        {
            _registry.Release(this);
        }
    }
}
