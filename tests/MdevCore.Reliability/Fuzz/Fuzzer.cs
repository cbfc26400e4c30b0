using MdevCore.Reliability.Audit;
using MdevCore.Reliability.Stress;
using MdevCore.Sysfs;

namespace MdevCore.Reliability.Fuzz;

/// <summary>
/// Writes <see cref="FuzzInputs"/> to every writable attribute of a host with two parents and their devices, and sends
/// fuzzed paths to every path API of the sysfs view. Every outcome must be an errno result; the host is audited every
/// few thousand inputs and at the end, and a healthy parent must still live a whole life afterwards.
/// </summary>
public static class Fuzzer
{
    private const int AuditEvery = 2_000;

    /// <summary>Runs the fuzzer.</summary>
    /// <param name="profile">The host's profile.</param>
    /// <param name="inputs">How many inputs.</param>
    /// <param name="seed">The random seed.</param>
    /// <returns>What happened.</returns>
    public static FuzzResult Run(KernelProfile profile, long inputs, int seed = 1)
    {
        using var stress = new StressHost(new StressHostOptions { Profile = profile, Slots = 3 });
        string[] uuids = ["f022f022-0000-4000-8000-000000000001", "f022f022-0000-4000-8000-000000000002", "f022f022-0000-4000-8000-000000000003"];
        for (int i = 0; i < 2; i++)
        {
            stress.AddDevice(stress.Slots[i]).ThrowIfFailed();
            stress.Register(stress.Slots[i]).ThrowIfFailed();
            stress.Host.Sysfs.Write(stress.Slots[i].CreatePath(1), uuids[i]).Error.ThrowIfFailed();
        }

        var random = new Random(seed);
        var exceptions = new List<string>();
        var violations = new List<string>();
        long errnos = 0;
        int targetCount = 0;
        var watchdog = new Watchdog(1, TimeSpan.FromSeconds(20));
        bool finished = watchdog.Run(_ =>
        {
            (List<string> targets, List<string> paths) = Survey(stress.Host.Sysfs);
            targetCount = targets.Count;
            for (long n = 0; n < inputs; n++)
            {
                if (n > 0 && n % AuditEvery == 0)
                {
                    violations.AddRange(HostAudit.Check(stress.Host, (stress.MdevRestReferences, stress.UnboundRestReferences)).Select(v => $"after {n} inputs: {v}"));
                    (targets, paths) = Survey(stress.Host.Sysfs);
                }

                bool attribute = random.Next(10) < 7;
                string target = attribute ? targets[random.Next(targets.Count)] : FuzzInputs.Path(random, paths);
                watchdog.Beat(0, attribute ? "write " + target : "path " + target);
                try
                {
                    Errno error = attribute
                        ? stress.Host.Sysfs.Write(target, FuzzInputs.Data(random, uuids)).Error
                        : CallPathApi(stress.Host.Sysfs, target, random.Next(8), FuzzInputs.Data(random, uuids));
                    errnos += error == Errno.None ? 0 : 1;
                }
#pragma warning disable CA1031 // A non-errno outcome is the finding.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    if (exceptions.Count < 100)
                    {
                        exceptions.Add($"{target}: {ex.GetType().Name}: {ex.Message}");
                    }
                }
            }

            watchdog.Beat(0, null);
        }, TimeSpan.FromSeconds(5));

        if (finished)
        {
            violations.AddRange(HostAudit.Check(stress.Host, (stress.MdevRestReferences, stress.UnboundRestReferences)));
            violations.AddRange(stress.RunHealthyCycle(stress.Slots[2], Guid.Parse("f022f022-0000-4000-8000-0000000000ff")));
        }

        return new FuzzResult(profile, inputs, targetCount, errnos, exceptions, violations, watchdog.Hangs);
    }

    private static Errno CallPathApi(SysfsView sysfs, string path, int which, byte[] data) => which switch
    {
        0 => sysfs.Stat(path).Error,
        1 => sysfs.LStat(path).Error,
        2 => sysfs.List(path).Error,
        3 => sysfs.ReadLink(path).Error,
        4 => sysfs.RealPath(path).Error,
        5 => sysfs.ReadText(path).Error,
        6 => sysfs.Exists(path) ? Errno.None : Errno.ENOENT,
        _ => sysfs.Write(path, data).Error,
    };

    /// <summary>Every writable attribute, and every path, of the tree (links are not followed).</summary>
    private static (List<string> Targets, List<string> Paths) Survey(SysfsView sysfs)
    {
        var targets = new List<string>();
        var paths = new List<string>();
        const UnixFileMode anyWrite = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        foreach ((string path, SysfsStat stat) in SysfsWalk.Entries(sysfs, "/sys"))
        {
            paths.Add(path);
            if (stat.Kind == SysfsNodeKind.Attribute && (stat.Mode & anyWrite) != 0)
            {
                targets.Add(path);
            }
        }

        return (targets, paths);
    }
}
