using MdevCore.Mediated;
using MdevCore.Reliability.Stress;

namespace MdevCore.Reliability.Faults;

/// <summary>
/// A parent's whole life, reaching every vendor callback several times: registration (types, groups, visibility),
/// parent and type attributes, creates through sysfs, device attributes, VFIO sessions with pinning, a reopen, unbind
/// and bind, removes through sysfs and the API, a create left for unregistration, unregistration and deletion. Every
/// step may fail with an errno; an exception that escapes a step is a problem.
/// </summary>
public static class FaultScenario
{
    private static readonly string[] Uuids =
    [
        "fa017000-0000-4000-8000-000000000001", "fa017000-0000-4000-8000-000000000002", "fa017000-0000-4000-8000-000000000003",
    ];

    /// <summary>Runs the scenario on <paramref name="slot"/> (which has no device yet).</summary>
    /// <param name="stress">The host.</param>
    /// <param name="slot">The slot whose vendor carries the fault.</param>
    /// <param name="problems">Where escaped exceptions are added (under its lock).</param>
    public static void Run(StressHost stress, StressSlot slot, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(stress);
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(problems);
        MdevHost host = stress.Host;
        void Step(string name, Action action)
        {
            try
            {
                action();
            }
#pragma warning disable CA1031 // Every escaped exception is a finding.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                lock (problems)
                {
                    problems.Add($"{name} threw {ex.GetType().Name}: {ex.Message}");
                }
            }
        }

        string parentDir = slot.SysfsPath;
        Step("add", () => _ = stress.AddDevice(slot));
        Step("register", () => _ = stress.Register(slot));
        Step("parent attributes", () =>
        {
            _ = host.Sysfs.ReadText(parentDir + "/faulty_parent/knob");
            _ = host.Sysfs.Write(parentDir + "/faulty_parent/knob", "1");
        });
        for (int type = 1; type <= 2; type++)
        {
            string typeDir = slot.TypePath(type);
            Step("type attributes", () =>
            {
                _ = host.Sysfs.ReadText(typeDir + "/description");
                _ = host.Sysfs.ReadText(typeDir + "/available_instances");
                _ = host.Sysfs.ReadText(typeDir + "/name");
            });
        }

        foreach (string uuid in Uuids)
        {
            Step("create", () => _ = host.Sysfs.Write(slot.CreatePath(uuid == Uuids[2] ? 2 : 1), uuid));
            Step("device attributes", () =>
            {
                _ = host.Sysfs.ReadText($"/sys/bus/mdev/devices/{uuid}/faulty_vendor/state");
                _ = host.Sysfs.Write($"/sys/bus/mdev/devices/{uuid}/faulty_vendor/state", "1");
            });
        }

        for (int round = 0; round < 2; round++)
        {
            foreach (string uuid in Uuids)
            {
                Step("vfio", () =>
                {
                    if (host.Mdev.TryGetDevice(Guid.Parse(uuid), out MdevDevice? mdev))
                    {
                        _ = VfioSession.Run(host, mdev, slot.Vendor, pages: 2);
                    }
                });
            }
        }

        Step("unbind and bind", () =>
        {
            if (host.Mdev.TryGetDevice(Guid.Parse(Uuids[0]), out MdevDevice? mdev) && mdev.Driver is { } driver)
            {
                _ = host.Sysfs.Write(driver.SysfsPath + "/unbind", Uuids[0]);
                _ = host.Sysfs.Write(driver.SysfsPath + "/bind", Uuids[0]);
            }
        });
        Step("remove through sysfs", () => _ = host.Sysfs.Write($"/sys/bus/mdev/devices/{Uuids[0]}/remove", "1"));
        Step("remove through the API", () => _ = host.Mdev.RemoveDevice(Guid.Parse(Uuids[1])));
        Step("create again", () => _ = host.Sysfs.Write(slot.CreatePath(1), Uuids[0]));
        Step("unregister", () => _ = stress.Unregister(slot));
        Step("delete", () => _ = stress.DeleteDevice(slot));
    }
}
