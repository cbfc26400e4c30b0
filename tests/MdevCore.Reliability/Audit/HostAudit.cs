using MdevCore.DriverModel;
using MdevCore.Iommu;
using MdevCore.Mediated;
using MdevCore.Sysfs;

namespace MdevCore.Reliability.Audit;

/// <summary>
/// The invariants of a quiescent host (no operation in flight), checked through the public API and the sysfs view:
/// every live mdev is listed exactly once on the bus, in its type's <c>devices/</c> and in its parent; the bus lists
/// nothing else; <c>available_instances</c> agrees between sysfs and the API and, for a core-counted parent, equals the
/// budget minus the live devices; every bound mdev has a live IOMMU group and every group has a member; open counts
/// and reference counts are at rest; a walk of the whole tree finds no dangling entry and no absolute or dangling link.
/// </summary>
public static class HostAudit
{
    /// <summary>Checks <paramref name="host"/>.</summary>
    /// <param name="host">A quiescent host.</param>
    /// <param name="restReferences">The reference counts of an idle mdev with and without a driver
    /// (<see cref="Stress.StressHost.MdevRestReferences"/>); null skips the check.</param>
    /// <returns>One line per violation; empty when every invariant holds.</returns>
    public static IReadOnlyList<string> Check(MdevHost host, (int Bound, int Unbound)? restReferences = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        var violations = new List<string>();
        IReadOnlyList<MdevDevice> live = host.Mdev.GetDevices();
        CheckListings(host, live, restReferences, violations);
        CheckInstances(host, violations);
        CheckIommuGroups(host, live, violations);
        WalkTree(host.Sysfs, "/sys", violations);
        return violations;
    }

    private static void CheckListings(MdevHost host, IReadOnlyList<MdevDevice> live, (int Bound, int Unbound)? restReferences, List<string> violations)
    {
        Result<IReadOnlyList<string>> listed = host.Sysfs.List("/sys/bus/mdev/devices");
        IReadOnlyList<string> bus = listed.Succeeded ? listed.Value : [];
        if (!listed.Succeeded)
        {
            violations.Add($"/sys/bus/mdev/devices cannot be listed ({listed.Error})");
        }

        var busCounts = bus.GroupBy(n => n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var liveNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (MdevDevice mdev in live)
        {
            string name = mdev.Name;
            _ = liveNames.Add(name);
            if (busCounts.GetValueOrDefault(name) != 1)
            {
                violations.Add($"{name} is listed {busCounts.GetValueOrDefault(name)} times in /sys/bus/mdev/devices");
            }

            Result<IReadOnlyList<string>> typeDevices = host.Sysfs.List(mdev.Type.SysfsPath + "/devices");
            int inType = typeDevices.Succeeded ? typeDevices.Value.Count(n => n == name) : 0;
            if (inType != 1)
            {
                violations.Add($"{name} is listed {inType} times in {mdev.Type.SysfsPath}/devices ({typeDevices.Error})");
            }

            int inParent = mdev.MdevParent.GetDevices().Count(d => ReferenceEquals(d, mdev));
            if (inParent != 1 || !mdev.MdevParent.IsRegistered)
            {
                violations.Add($"{name} is listed {inParent} times in parent {mdev.MdevParent} (registered: {mdev.MdevParent.IsRegistered})");
            }

            if (mdev.OpenCount != 0)
            {
                violations.Add($"{name} has open count {mdev.OpenCount} at rest");
            }

            int? rest = mdev.Driver is null ? restReferences?.Unbound : restReferences?.Bound;
            if (rest is { } expected && mdev.ReferenceCount != expected)
            {
                violations.Add($"{name} has {mdev.ReferenceCount} references at rest ({(mdev.Driver is null ? "unbound" : "bound")}), not {expected}");
            }
        }

        violations.AddRange(busCounts.Keys.Where(n => !liveNames.Contains(n)).Select(n => $"/sys/bus/mdev/devices/{n} is not a live mdev"));
    }

    private static void CheckInstances(MdevHost host, List<string> violations)
    {
        foreach (MdevParent parent in host.Mdev.GetParents())
        {
            int children = parent.GetDevices().Count;
            foreach (MdevType type in parent.Types)
            {
                Result<int> api = type.GetAvailableInstances();
                Result<string> text = host.Sysfs.ReadText(type.SysfsPath + "/available_instances");
                string expectedText = api.Succeeded ? api.Value + "\n" : "(error " + api.Error + ")";
                if (!text.Succeeded || text.Value != expectedText)
                {
                    violations.Add($"{type.SysfsPath}/available_instances reads {(text.Succeeded ? text.Value.TrimEnd() : text.Error.ToString())}, the API {expectedText.TrimEnd()}");
                }

                if (!parent.VendorCountsInstances && api.Succeeded && api.Value != Math.Max(0, parent.MaxInstances - children))
                {
                    violations.Add($"{type.Id}: {api.Value} available, but the budget {parent.MaxInstances} minus {children} live is {parent.MaxInstances - children}");
                }
            }
        }
    }

    private static void CheckIommuGroups(MdevHost host, IReadOnlyList<MdevDevice> live, List<string> violations)
    {
        var expected = new HashSet<int>();
        foreach (MdevDevice mdev in live)
        {
            if (mdev.IommuGroup is { } group)
            {
                if (!group.IsAlive)
                {
                    violations.Add($"{mdev.Name} is in IOMMU group {group.Id}, which is dead");
                }

                _ = expected.Add(group.Id);
            }
        }

        IReadOnlyList<int> registered = host.IommuGroups.GetIds();
        foreach (int id in registered)
        {
            Result<Lease<IommuGroup>> lease = host.IommuGroups.Acquire(id);
            if (!lease.TryGetValue(out Lease<IommuGroup>? held))
            {
                continue;
            }

            using (held)
            {
                IReadOnlyList<Device> members = held.Target.GetMembers();
                if (members.Count == 0)
                {
                    violations.Add($"IOMMU group {id} has no member");
                }

                foreach (Device member in members)
                {
                    if (member is MdevDevice && !expected.Contains(id))
                    {
                        violations.Add($"IOMMU group {id} holds {member.Name}, which is not a live mdev");
                    }
                }
            }
        }

        foreach (int id in expected.Where(id => !registered.Contains(id)))
        {
            violations.Add($"IOMMU group {id} of a live mdev is not in the registry");
        }
    }

    private static void WalkTree(SysfsView sysfs, string root, List<string> violations)
    {
        foreach ((string path, SysfsStat stat) in SysfsWalk.Entries(sysfs, root, violations))
        {
            if (stat.Kind == SysfsNodeKind.Symlink)
            {
                CheckLink(sysfs, path, violations);
            }
        }
    }

    private static void CheckLink(SysfsView sysfs, string link, List<string> violations)
    {
        Result<string> target = sysfs.ReadLink(link);
        if (!target.Succeeded)
        {
            violations.Add($"{link}: readlink gives {target.Error}");
        }
        else if (target.Value.StartsWith('/'))
        {
            violations.Add($"{link} -> {target.Value} is absolute");
        }
        else if (!sysfs.RealPath(link).Succeeded || !sysfs.Stat(link).Succeeded)
        {
            violations.Add($"{link} -> {target.Value} dangles");
        }
    }
}
