using System.Runtime.CompilerServices;
using System.Text;
using CsCheck;
using MdevCore.Mediated;
using MdevCore.Reliability.Stress;

namespace MdevCore.Tests.Reliability;

/// <summary>
/// Model-based concurrent testing (issue-10 suite) with CsCheck's linearizability check: random sequences of public
/// operations (create and remove through sysfs and the API, register and unregister parents, add and delete their
/// devices, VFIO sessions with pinning, unbind, uevent writes) run partly in parallel; the host they leave must equal
/// the host of some sequential order of the same operations, and must pass the host audit.
/// </summary>
public sealed class ModelBasedTests
{
    private static readonly string[] Uuids =
    [
        "0de10000-0000-4000-8000-000000000001", "0de10000-0000-4000-8000-000000000002",
        "0de10000-0000-4000-8000-000000000003", "0de10000-0000-4000-8000-000000000004",
    ];

    private static readonly ConditionalWeakTable<StressHost, string> Audited = [];

    [Theory]
    [InlineData(KernelProfile.Modern)]
    [InlineData(KernelProfile.Seed)]
    public void Parallel_operations_are_linearizable_and_leave_an_audited_host(KernelProfile profile)
    {
        Gen<int> slot = Gen.Int[0, 1];
        Gen<int> uuid = Gen.Int[0, Uuids.Length - 1];
        Gen.Const(() => Build(profile)).SampleParallel(
            [
                Gen.Select(slot, Gen.Int[1, 2], uuid).Operation<StressHost>(
                    t => $"create-sysfs {t.Item1}/{t.Item2} {t.Item3}",
                    (s, t) => _ = s.Host.Sysfs.Write(s.Slots[t.Item1].CreatePath(t.Item2), Uuids[t.Item3])),
                Gen.Select(slot, uuid).Operation<StressHost>(
                    t => $"create-api {t.Item1} {t.Item2}",
                    (s, t) => _ = s.Slots[t.Item1].Device is { } d && s.Host.Mdev.TryGetParent(d, out MdevParent? p)
                        ? s.Host.Mdev.CreateDevice(p.Types[0], Guid.Parse(Uuids[t.Item2])).Error
                        : Errno.ENODEV),
                uuid.Operation<StressHost>(u => $"remove-sysfs {u}",
                    (s, u) => _ = Settle(s, u) is null ? Errno.ENODEV : s.Host.Sysfs.Write($"/sys/bus/mdev/devices/{Uuids[u]}/remove", "1").Error),
                uuid.Operation<StressHost>(u => $"remove-api {u}",
                    (s, u) => _ = Settle(s, u) is null ? Errno.ENODEV : s.Host.Mdev.RemoveDevice(Guid.Parse(Uuids[u]))),
                slot.Operation<StressHost>(i => $"unregister {i}", (s, i) => _ = s.Unregister(s.Slots[i])),
                slot.Operation<StressHost>(i => $"register {i}", (s, i) => _ = s.Register(s.Slots[i])),
                slot.Operation<StressHost>(i => $"delete-device {i}", (s, i) => _ = s.DeleteDevice(s.Slots[i])),
                slot.Operation<StressHost>(i => $"add-device {i}", (s, i) => _ = s.AddDevice(s.Slots[i])),
                uuid.Operation<StressHost>(u => $"vfio {u}", (s, u) => _ = s.Host.Mdev.TryGetDevice(Guid.Parse(Uuids[u]), out MdevDevice? m)
                    ? VfioSession.Run(s.Host, m, s.Slots[0].Vendor, pages: 1)
                    : Errno.ENODEV),
                uuid.Operation<StressHost>(u => $"unbind {u}", (s, u) => _ = Settle(s, u) is { Driver: { } d }
                    ? s.Host.Sysfs.Write(d.SysfsPath + "/unbind", Uuids[u]).Error
                    : Errno.ENODEV),
                uuid.Operation<StressHost>(u => $"uevent {u}", (s, u) => _ = s.Host.Sysfs.Write($"/sys/bus/mdev/devices/{Uuids[u]}/uevent", "change")),
            ],
            equal: (a, b) => Observe(a) == Observe(b),
            seed: null,
            maxSequentialOperations: 6,
            maxParallelOperations: 4,
            iter: 300,
            print: Observe);
    }

    /// <summary>
    /// The device with the UUID once no create of it is in flight. The kernel's create is not atomic to other writers:
    /// the device is on the bus before its driver is bound and its remove file usable (a remove in that window gets
    /// EAGAIN and leaves the device, as StormTests and RemoveTests pin down), and no sequential order of whole
    /// operations produces that. Operations on an existing device therefore start after its create has finished.
    /// </summary>
    private static MdevDevice? Settle(StressHost stress, int uuid)
    {
        if (!stress.Host.Mdev.TryGetDevice(Guid.Parse(Uuids[uuid]), out MdevDevice? mdev))
        {
            return null;
        }

        _ = SpinWait.SpinUntil(() => mdev.IsActive || !mdev.IsRegistered, TimeSpan.FromSeconds(5));
        return mdev.IsRegistered ? mdev : null;
    }

    private static StressHost Build(KernelProfile profile)
    {
        var stress = new StressHost(new StressHostOptions { Profile = profile, Slots = 2, MaxInstances = 3 });
        foreach (StressSlot s in stress.Slots)
        {
            stress.AddDevice(s).ThrowIfFailed();
            stress.Register(s).ThrowIfFailed();
        }

        return stress;
    }

    /// <summary>What a user can observe of the host, without the IOMMU group numbers (allocated in arrival order); an
    /// audit violation makes the host differ from every sequential one.</summary>
    private static string Observe(StressHost stress)
    {
        if (!Audited.TryGetValue(stress, out string? audit))
        {
            audit = string.Join("; ", stress.Audit());
            Audited.AddOrUpdate(stress, audit);
        }

        var sb = new StringBuilder(audit.Length == 0 ? string.Empty : "AUDIT: " + audit + "\n");
        foreach (StressSlot slot in stress.Slots)
        {
            _ = sb.Append(slot.Address).Append(slot.Device is { IsRegistered: true } ? " present" : " absent");
            if (slot.Device is { } device && stress.Host.Mdev.TryGetParent(device, out MdevParent? parent))
            {
                _ = sb.Append(" parent");
                foreach (MdevType type in parent.Types)
                {
                    _ = sb.Append(' ').Append(type.Id).Append('=').Append(type.GetAvailableInstances().Value);
                }
            }

            _ = sb.Append('\n');
        }

        foreach (MdevDevice mdev in stress.Host.Mdev.GetDevices().OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            _ = sb.Append(mdev.Name).Append(' ').Append(mdev.MdevParent).Append(' ').Append(mdev.Type.Id)
                .Append(' ').Append(mdev.Driver?.Name ?? "(no driver)").Append('\n');
        }

        return sb.ToString();
    }
}
