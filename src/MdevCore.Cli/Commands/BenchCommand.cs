using System.CommandLine;
using System.Diagnostics;
using System.Text;
using MdevCore.Cli.Native;
using MdevCore.Topology;
using MdevCore.Fuse;

namespace MdevCore.Cli.Commands;

/// <summary><c>mdevsim bench</c>: open+read+close of an attribute through the FUSE mount beside the same loop on real sysfs.</summary>
internal static unsafe class BenchCommand
{
    public static Command Create()
    {
        var iterations = new Option<int>("--iterations", "-n") { Description = "Loop iterations per measurement", DefaultValueFactory = _ => 20_000 };
        var rounds = new Option<int>("--rounds") { Description = "Measurements per target (the best one is reported)", DefaultValueFactory = _ => 3 };
        var cpu = new Option<int?>("--cpu") { Description = "Pin the whole process (server and reader) to this CPU; default: unpinned" };
        var single = new Option<bool>("--single-threaded") { Description = "Serve on one thread instead of libfuse's worker pool" };
        var entryTimeout = new Option<double>("--entry-timeout") { Description = "Entry timeout of the mount in seconds (attributes are never cached; 0 for a lookup per path component)", DefaultValueFactory = _ => 1 };
        var real = new Option<string>("--real") { Description = "The real sysfs attribute to compare with", DefaultValueFactory = _ => "/sys/class/net/lo/mtu" };
        var command = new Command("bench", "Benchmark open+read+close of an attribute through the FUSE mount against a real sysfs attribute, in the same run (needs root and FUSE)")
        {
            iterations,
            rounds,
            cpu,
            single,
            entryTimeout,
            real,
        };
        command.SetAction(pr => Run(pr.GetValue(iterations), pr.GetValue(rounds), pr.GetValue(cpu), pr.GetValue(single), pr.GetValue(entryTimeout), pr.GetValue(real)!));
        return command;
    }

    private static int Run(int iterations, int rounds, int? cpu, bool single, double entryTimeout, string real)
    {
        if (FuseSupport.GetUnavailableReason() is { } reason)
        {
            Console.Error.WriteLine($"mdevsim bench: {reason}");
            return 1;
        }

        if (cpu is { } c && !Libc.PinProcess(c))
        {
            Console.Error.WriteLine($"mdevsim bench: cannot pin to CPU {c}: {Libc.LastError()}");
            return 1;
        }

        MdevHost host = TopologyLoader.LoadDefault().Build();
        DirectoryInfo dir = Directory.CreateTempSubdirectory("mdevsim-bench-");
        try
        {
            using SysfsFuseMount mount = SysfsFuseMount.Start(host.Sysfs, dir.FullName, new FuseMountOptions { SingleThreaded = single, EntryTimeout = TimeSpan.FromSeconds(entryTimeout) });
            Console.Out.WriteLine($"mdevsim bench: {iterations} x open+read(4096)+close, best of {rounds}; server {(single ? "single-threaded (fuse_loop)" : "multi-threaded (fuse_loop_mt, <=10 threads)")}; {(cpu is { } p ? $"whole process pinned to CPU {p}" : "unpinned")}; {Environment.ProcessorCount} CPUs; entry timeout {entryTimeout:0.###} s, attr and negative timeouts 0");
            double baseline = Measure(real, iterations, rounds);
            Console.Out.WriteLine($"  {"real sysfs",-10} {real,-84} {baseline,7:F1} us/op  (baseline)");
            // Pairs of the same shape: a FUSE path and the real sysfs path it mirrors (component count, links).
            (string Mounted, string? Real)[] targets =
            [
                ("bus/mdev/drivers_autoprobe", "/sys/bus/pci/drivers_autoprobe"),
                ("class/mtty/mtty/uevent", "/sys/class/net/lo/uevent"),
                ("class/mdev_bus/mtty/mdev_supported_types/mtty-2/available_instances", null),
            ];
            foreach ((string mounted, string? twin) in targets)
            {
                long before = mount.RequestCount;
                double us = Measure(Path.Combine(dir.FullName, mounted), iterations, rounds);
                double callbacks = (double)(mount.RequestCount - before) / ((iterations + (iterations / 10)) * rounds);
                string same = "";
                if (twin is not null && File.Exists(twin))
                {
                    double twinUs = Measure(twin, iterations, rounds);
                    same = $"; same shape on real sysfs {twin} {twinUs:F1} us, ratio {us / twinUs:F1}x";
                }

                Console.Out.WriteLine($"  {"FUSE",-10} {"<mnt>/" + mounted,-84} {us,7:F1} us/op  ratio {us / baseline:F1}x  ({callbacks:F1} server callbacks per op{same})");
            }

            return 0;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException)
        {
            Console.Error.WriteLine($"mdevsim bench: {e.Message}");
            return 1;
        }
        finally
        {
            try
            {
                dir.Delete();
            }
            catch (IOException)
            {
            }
        }
    }

    private static double Measure(string path, int iterations, int rounds)
    {
        byte[] name = Encoding.UTF8.GetBytes(path + "\0");
        byte* buffer = stackalloc byte[4096];
        double best = double.MaxValue;
        fixed (byte* p = name)
        {
            for (int r = 0; r < rounds; r++)
            {
                Loop(p, buffer, iterations / 10); // warm-up
                long start = Stopwatch.GetTimestamp();
                Loop(p, buffer, iterations);
                double us = Stopwatch.GetElapsedTime(start).TotalMicroseconds / iterations;
                best = Math.Min(best, us);
            }
        }

        return best;
    }

    private static void Loop(byte* path, byte* buffer, int count)
    {
        for (int i = 0; i < count; i++)
        {
            int fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
            if (fd < 0)
            {
                throw new IOException($"open failed: {Libc.LastError()}");
            }

            if (Libc.Read(fd, buffer, 4096) < 0)
            {
                throw new IOException($"read failed: {Libc.LastError()}");
            }

            _ = Libc.Close(fd);
        }
    }
}
