using System.Diagnostics;
using System.Globalization;
using MdevCore.Topology;

namespace MdevCore.Benchmarks;

/// <summary>
/// <c>hosts [--counts 1,1000,10000]</c>: many hosts in one process. For the built-in default topology and the NVIDIA
/// vGPU example, builds that many hosts and keeps them all alive, then prints the managed heap per host, hosts per GiB,
/// the build time per host and, against the first count above 1, how flat the per-host cost stays. The target: at
/// least 10,000 NVIDIA-vGPU-shaped hosts in 4 GiB (at most 429,497 bytes each), with flat per-host cost.
/// </summary>
internal static class HostsCommand
{
    private const double TargetBytesPerNvidiaHost = 4.0 * 1024 * 1024 * 1024 / 10_000;

    public static int Run(string[] args)
    {
        int i = Array.IndexOf(args, "--counts");
        int[] counts = i >= 0 && i + 1 < args.Length
            ? [.. args[i + 1].Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))]
            : [1, 1_000, 10_000];
        bool pass = true;
        foreach ((string name, HostTopology topology) in Topologies())
        {
            double? reference = null;
            foreach (int count in counts)
            {
                (double bytes, double microseconds, double walked) = Measure(topology, count);
                string flat = reference is { } r ? string.Create(CultureInfo.InvariantCulture, $", {bytes / r:F2}x the per-host heap at {counts.First(c => c > 1):N0}") : string.Empty;
                if (count > 1)
                {
                    reference ??= bytes;
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"hosts {name,-12} {count,7:N0} hosts: {bytes,10:N0} bytes/host, {1024.0 * 1024 * 1024 / bytes,8:N0} hosts/GiB, build {microseconds,8:N1} us/host{flat}; after reading every host's whole tree {walked,10:N0} bytes/host"));
                if (name == "nvidia-vgpu" && count >= 10_000)
                {
                    // Judged on the hosts after their whole trees were read, the heavier of the two states.
                    bytes = walked;
                    bool met = bytes <= TargetBytesPerNvidiaHost;
                    pass &= met;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"target: >= 10,000 NVIDIA-vGPU hosts in 4 GiB needs <= {TargetBytesPerNvidiaHost:N0} bytes/host: {(met ? "PASS" : "FAIL")} ({4.0 * 1024 * 1024 * 1024 / bytes:N0} fit)"));
                }
            }
        }

        return pass ? 0 : 1;
    }

    private static (double BytesPerHost, double MicrosecondsPerHost, double WalkedBytesPerHost) Measure(HostTopology topology, int count)
    {
        var hosts = new MdevHost[count];
        long before = Settle();
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++)
        {
            hosts[i] = topology.Build();
        }

        double microseconds = Stopwatch.GetElapsedTime(started).TotalMicroseconds / count;
        long after = Settle();

        // A host whose whole tree has been read once: every rendered node and default attribute is made.
        foreach (MdevHost host in hosts)
        {
            _ = MdevCore.Sysfs.SysfsTreeWriter.Write(host.Sysfs);
        }

        long walked = Settle();
        GC.KeepAlive(hosts);
        return ((after - before) / (double)count, microseconds, (walked - before) / (double)count);
    }

    private static IEnumerable<(string Name, HostTopology Topology)> Topologies()
    {
        yield return ("default", TopologyLoader.LoadDefault());
        yield return ("nvidia-vgpu", TopologyLoader.LoadFile(Path.Combine(FindRoot(), "examples", "topologies", "nvidia-vgpu.json")));
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MdevCore.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    private static long Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(true);
    }
}
