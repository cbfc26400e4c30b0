using System.Collections.Concurrent;
using System.Diagnostics;
using MdevCore.Mediated;
using MdevCore.Reliability.Faults;

namespace MdevCore.Reliability.Stress;

/// <summary>
/// Parent and device churn from many threads on one host: create and remove through sysfs and the API, register and
/// unregister parents, add and delete their devices, VFIO sessions with DMA pinning, opens through the API, unbind and
/// bind, uevent writes and reads, all on a few slots and UUIDs so that they collide. Then the host is audited at rest,
/// torn down and compared with a fresh one.
/// </summary>
public static class ChurnWorkload
{
    private static readonly (string Name, int Weight)[] Mix =
    [
        ("create-sysfs", 14), ("create-api", 6), ("remove-sysfs", 12), ("remove-api", 6), ("register", 3), ("unregister", 3),
        ("add-device", 2), ("delete-device", 2), ("vfio", 6), ("open-api", 4), ("unbind", 3), ("bind", 3), ("uevent", 3),
        ("read", 6),
    ];

    /// <summary>Runs the churn.</summary>
    /// <param name="options">How much.</param>
    /// <returns>What happened.</returns>
    public static ChurnResult Run(ChurnOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var stress = new StressHost(new StressHostOptions { Profile = options.Profile, Slots = options.Slots });
        foreach (StressSlot slot in stress.Slots)
        {
            stress.AddDevice(slot).ThrowIfFailed();
            stress.Register(slot).ThrowIfFailed();
        }

        string[] uuids = [.. Enumerable.Range(0, options.Uuids).Select(i => $"c4a1e000-0000-4000-8000-{i:x12}")];
        string[] table = [.. Mix.SelectMany(m => Enumerable.Repeat(m.Name, m.Weight))];
        var outcomes = new ConcurrentDictionary<string, long[]>(StringComparer.Ordinal);
        var exceptions = new ConcurrentQueue<string>();
        var watchdog = new Watchdog(options.Threads, options.HangAfter);
        long perThread = options.Operations / options.Threads;
        long started = Stopwatch.GetTimestamp();

        bool finished = watchdog.Run(worker =>
        {
            var random = new Random(options.Seed + worker);
            for (long n = 0; n < perThread; n++)
            {
                string op = table[random.Next(table.Length)];
                watchdog.Beat(worker, op);
                try
                {
                    Errno error = Perform(stress, op, random, uuids);
                    long[] counts = outcomes.GetOrAdd(op, static _ => new long[2]);
                    _ = Interlocked.Increment(ref counts[error == Errno.None ? 0 : 1]);
                }
#pragma warning disable CA1031 // Every escaped exception is a finding to report, not a reason to stop.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    if (exceptions.Count < 100)
                    {
                        exceptions.Enqueue($"{op}: {ex.GetType().Name}: {ex.Message}");
                    }
                }
            }

            watchdog.Beat(worker, null);
        }, TimeSpan.FromSeconds(5));

        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        var violations = new List<string>();
        if (finished)
        {
            violations.AddRange(stress.Audit());
            violations.AddRange(stress.TearDown());
        }
        else
        {
            violations.Add("the host never became quiescent; not audited");
        }

        return new ChurnResult
        {
            Options = options,
            Operations = perThread * options.Threads,
            Elapsed = elapsed,
            Outcomes = outcomes.ToDictionary(p => p.Key, p => (p.Value[0], p.Value[1]), StringComparer.Ordinal),
            Violations = violations,
            Exceptions = [.. exceptions],
            Hangs = watchdog.Hangs,
        };
    }

    private static Errno Perform(StressHost stress, string op, Random random, string[] uuids)
    {
        MdevHost host = stress.Host;
        StressSlot slot = stress.Slots[random.Next(stress.Slots.Count)];
        string uuid = uuids[random.Next(uuids.Length)];
        int type = 1 + random.Next(2);
        switch (op)
        {
            case "create-sysfs":
                return host.Sysfs.Write(slot.CreatePath(type), uuid).Error;
            case "create-api":
                return slot.FindParent(host) is { } parent && parent.Types.Count >= type
                    ? host.Mdev.CreateDevice(parent.Types[type - 1], Guid.Parse(uuid)).Error
                    : Errno.ENODEV;
            case "remove-sysfs":
                return host.Sysfs.Write($"/sys/bus/mdev/devices/{uuid}/remove", "1").Error;
            case "remove-api":
                return host.Mdev.RemoveDevice(Guid.Parse(uuid));
            case "register":
                return stress.Register(slot);
            case "unregister":
                return stress.Unregister(slot);
            case "add-device":
                return stress.AddDevice(slot);
            case "delete-device":
                return stress.DeleteDevice(slot);
            case "vfio":
                return host.Mdev.TryGetDevice(Guid.Parse(uuid), out MdevDevice? vfio)
                    ? VfioSession.Run(host, vfio, vfio.MdevParent.Ops as FaultyVendor, pages: 1 + random.Next(3))
                    : Errno.ENODEV;
            case "open-api":
                return OpenAndRead(host, uuid);
            case "unbind":
            case "bind":
                return Rebind(host, uuid, op == "bind");
            case "uevent":
                return host.Sysfs.Write($"/sys/bus/mdev/devices/{uuid}/uevent", "change").Error;
            default:
                Errno error = host.Sysfs.ReadText(slot.TypePath(type) + "/available_instances").Error;
                return error != Errno.None ? error : host.Sysfs.ReadText($"/sys/bus/mdev/devices/{uuid}/mdev_type/name").Error;
        }
    }

    private static Errno OpenAndRead(MdevHost host, string uuid)
    {
        if (!host.Mdev.TryGetDevice(Guid.Parse(uuid), out MdevDevice? mdev))
        {
            return Errno.ENODEV;
        }

        Result<MdevDeviceHandle> open = mdev.Open();
        if (!open.TryGetValue(out MdevDeviceHandle? handle))
        {
            return open.Error;
        }

        using (handle)
        {
            Span<byte> buffer = stackalloc byte[8];
            return handle.Read(buffer, 0).Error;
        }
    }

    private static Errno Rebind(MdevHost host, string uuid, bool bind)
    {
        if (!host.Mdev.TryGetDevice(Guid.Parse(uuid), out MdevDevice? mdev))
        {
            return Errno.ENODEV;
        }

        if (!bind)
        {
            return mdev.Driver is { } bound ? host.Sysfs.Write(bound.SysfsPath + "/unbind", uuid).Error : Errno.ENODEV;
        }

        string? driver = host.Profile == KernelProfile.Seed ? "vfio_mdev" : mdev.MdevParent.Driver?.Name;
        return driver is null ? Errno.ENODEV : host.Sysfs.Write($"/sys/bus/mdev/drivers/{driver}/bind", uuid).Error;
    }
}
