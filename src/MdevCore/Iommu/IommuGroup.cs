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
/// Thread safety: thread-safe.
/// </remarks>
public sealed class IommuGroup
{
    private readonly IommuGroupRegistry _registry;
    private RefCounter _ref = RefCounter.Initialized();

    private Device? _firstMember;
    private List<Device>? _moreMembers;

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
    public string SysfsPath => Directory.FullPath;

    /// <summary>Whether the group is still alive (not released).</summary>
    public bool IsAlive => _ref.Count > 0;

    /// <summary>The current reference count; for diagnostics and leak checks.</summary>
    public int ReferenceCount => _ref.Count;

    /// <summary>The member devices (mdev groups have exactly one; no list is kept for that case).</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<Device> GetMembers()
    {
        lock (_registry.SyncRoot)
        {
            return _firstMember is null ? [] : [_firstMember, .. _moreMembers ?? []];
        }
    }

    internal SysfsDirectory Directory { get; set; } = null!;

    internal SysfsDirectory DevicesDirectory { get; set; } = null!;

    internal void AddMember_NeedsLock(Device device)
    {
        if (_firstMember is null)
        {
            _firstMember = device;
        }
        else
        {
            (_moreMembers ??= []).Add(device);
        }
    }

    internal void RemoveMember_NeedsLock(Device device)
    {
        if (ReferenceEquals(_firstMember, device))
        {
            _firstMember = null;
            if (_moreMembers is { Count: > 0 })
            {
                _firstMember = _moreMembers[0];
                _moreMembers.RemoveAt(0);
            }
        }
        else
        {
            _ = _moreMembers?.Remove(device);
        }
    }

    internal string IdText => Id.ToString(CultureInfo.InvariantCulture);

    internal void Get() => _ref.Get();

    internal bool TryGet() => _ref.TryGet();

    internal void Put()
    {
        if (_ref.Put())
        {
            _registry.Release(this);
        }
    }
}
