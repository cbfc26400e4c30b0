using System.Collections.Frozen;
using System.Globalization;
using MdevCore.Mediated;

namespace MdevCore.Testing;

/// <summary>
/// The contract every vendor driver should keep, free of any test framework: derive one class per driver, implement
/// <see cref="RegisterParent"/> and <see cref="ExhaustedErrno"/>, and run each of <see cref="CheckNames"/> with
/// <see cref="RunCheck"/>. The xunit adapters (<c>MdevCore.Testing.Xunit</c> for xunit v2, <c>MdevCore.Testing.Xunit.v3</c>
/// for xunit v3) do exactly that, one test case per check; another framework needs the same few lines.
/// </summary>
/// <remarks>A failed check throws (FluentAssertions' exception for the framework it finds, or its own). Every check builds
/// its own host, so checks run in parallel and share nothing. The sysfs checks go through the simulated sysfs where a
/// management tool would; the VFIO checks open the device as a VMM does (IOMMU group, VFIO group, container, type1 IOMMU,
/// the device by UUID) and hold drivers that implement <see cref="IMdevDeviceIoctl"/> or <see cref="IMdevDeviceReadWrite"/>
/// to the region, ioctl and reset rules, and drivers that do not to the core's answer for a missing callback (EINVAL).
/// Thread safety: one instance per check run, as test frameworks make them.</remarks>
public abstract partial class VendorDriverContract
{
    private static readonly (string Name, Action<VendorDriverContract> Run)[] Checks =
    [
        (nameof(Every_type_directory_has_the_sysfs_abi_files), c => c.Every_type_directory_has_the_sysfs_abi_files()),
        (nameof(Create_and_remove_through_sysfs_give_available_instances_back), c => c.Create_and_remove_through_sysfs_give_available_instances_back()),
        (nameof(Create_until_refused_returns_the_exhaustion_errno_with_available_instances_at_zero), c => c.Create_until_refused_returns_the_exhaustion_errno_with_available_instances_at_zero()),
        (nameof(Create_with_a_duplicate_uuid_returns_EEXIST_and_changes_nothing), c => c.Create_with_a_duplicate_uuid_returns_EEXIST_and_changes_nothing()),
        (nameof(Fifty_create_remove_cycles_leave_the_tree_as_it_was), c => c.Fifty_create_remove_cycles_leave_the_tree_as_it_was()),
        (nameof(A_device_opens_closes_reopens_and_is_removed_once_closed), c => c.A_device_opens_closes_reopens_and_is_removed_once_closed()),
        (nameof(Unregistering_the_parent_removes_every_device), c => c.Unregistering_the_parent_removes_every_device()),
        (nameof(A_vmm_gets_the_device_through_its_iommu_group_vfio_group_and_container), c => c.A_vmm_gets_the_device_through_its_iommu_group_vfio_group_and_container()),
        (nameof(Device_info_and_region_info_describe_disjoint_regions_that_answer_reads), c => c.Device_info_and_region_info_describe_disjoint_regions_that_answer_reads()),
        (nameof(Unknown_ioctls_return_ENOTTY_and_a_short_argsz_EINVAL), c => c.Unknown_ioctls_return_ENOTTY_and_a_short_argsz_EINVAL()),
        (nameof(Accesses_outside_every_region_return_EFAULT), c => c.Accesses_outside_every_region_return_EFAULT()),
        (nameof(Reset_succeeds_and_the_device_answers_as_before), c => c.Reset_succeeds_and_the_device_answers_as_before()),
    ];

    private static readonly FrozenDictionary<string, Action<VendorDriverContract>> ByName =
        Checks.ToFrozenDictionary(c => c.Name, c => c.Run, StringComparer.Ordinal);

    private int _nextUuid;

    /// <summary>The names of the contract's checks, in a fixed order; each names what it checks.</summary>
    public static IReadOnlyList<string> CheckNames { get; } = [.. Checks.Select(c => c.Name)];

    /// <summary>The errno the driver (or the core, for a core-counted budget: <see cref="Errno.EUSERS"/>) returns
    /// for a create beyond the budget.</summary>
    protected abstract Errno ExhaustedErrno { get; }

    /// <summary>The most devices the exhaustion check creates before it gives up (a budget larger than this is not exhausted).</summary>
    protected virtual int ExhaustionLimit => 4096;

    /// <summary>The options of each check's host (the modern kernel profile by default; a remove waits at most 30 seconds for an open device).</summary>
    /// <returns>New options.</returns>
    protected virtual MdevHostOptions CreateHostOptions() => new() { RemoveWaitTimeout = TimeSpan.FromSeconds(30) };

    /// <summary>Adds the physical parent device to <paramref name="host"/> and registers the driver on it.</summary>
    /// <param name="host">A new host.</param>
    /// <returns>The registered parent.</returns>
    protected abstract MdevParent RegisterParent(MdevHost host);

    /// <summary>Runs one check against the driver.</summary>
    /// <param name="name">One of <see cref="CheckNames"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a check of this contract.</exception>
    protected void RunCheck(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!ByName.TryGetValue(name, out Action<VendorDriverContract>? check))
        {
            throw new ArgumentException($"'{name}' is not a vendor-driver contract check; the checks are: {string.Join(", ", CheckNames)}.", nameof(name));
        }

        check(this);
    }

    /// <summary>A UUID no other device of this check uses.</summary>
    /// <returns>The UUID.</returns>
    protected Guid NextUuid() => new(Interlocked.Increment(ref _nextUuid), 0x4d44, 0x4556, 0xa0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01);

    private (MdevHost Host, MdevParent Parent) Start()
    {
        var host = new MdevHost(CreateHostOptions());
        return (host, RegisterParent(host));
    }

    private static int Available(MdevHost host, MdevType type) =>
        int.Parse(host.Sysfs.ReadText(type.SysfsPath + "/available_instances").GetValueOrThrow(), CultureInfo.InvariantCulture);

    private static int[] Counts(MdevHost host, MdevParent parent) => [.. parent.Types.Select(t => Available(host, t))];

    private static MdevType FirstWithRoom(MdevHost host, MdevParent parent) =>
        parent.Types.FirstOrDefault(t => Available(host, t) > 0)
        ?? throw new InvalidOperationException("No type of the parent has an available instance: the contract needs room for one device.");

    private static int IndexOf(MdevParent parent, MdevType type)
    {
        for (int i = 0; i < parent.Types.Count; i++)
        {
            if (ReferenceEquals(parent.Types[i], type))
            {
                return i;
            }
        }

        return -1;
    }
}
