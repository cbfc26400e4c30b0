using System.Diagnostics;
using System.Globalization;

namespace MdevCore.Benchmarks;

/// <summary>Target 8 (bytes per live mdev) and the populate part of target 2 (linearity up to 1,000,000 devices).</summary>
internal static class MemoryCommand
{
    public static int Memory(int count)
    {
        var bench = new BenchHost(0, vendorAttributes: false);
        long before = Settle();
        for (int i = 0; i < count; i++)
        {
            _ = bench.Host.Mdev.CreateDevice(bench.Type, BenchHost.Uuid(i)).Value;
        }

        long after = Settle();
        double perDevice = (after - before) / (double)count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"memory: {count:N0} live mdevs, {perDevice:F0} bytes of managed heap per device (target <= 1024): {(perDevice <= 1024 ? "PASS" : "FAIL")}"));
        GC.KeepAlive(bench);
        return 0;
    }

    public static int Populate(int[] sizes)
    {
        foreach (int size in sizes)
        {
            var bench = new BenchHost(0, vendorAttributes: false);
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < size; i++)
            {
                _ = bench.Host.Mdev.CreateDevice(bench.Type, BenchHost.Uuid(i)).Value;
            }

            sw.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"populate: {size,9:N0} devices in {sw.Elapsed.TotalSeconds,6:F2} s = {sw.Elapsed.TotalNanoseconds / size,7:F0} ns/device, managed heap {GC.GetTotalMemory(false) / 1048576.0,7:F0} MiB"));
            GC.KeepAlive(bench);
            bench = null;
            _ = Settle();
        }

        return 0;
    }

    private static long Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(true);
    }
}
