using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Sysfs;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.Mediated.Concurrency;

/// <summary>Bounded races from kernel-mdev.md §7: only legal errnos, nothing leaked.</summary>
public sealed class StormTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(KernelProfile.Modern)]
    [InlineData(KernelProfile.Seed)]
    public void Create_remove_storm_on_the_same_uuids_returns_only_legal_errnos_and_leaks_nothing(KernelProfile profile)
    {
        MdevHost host = TestHosts.Create(profile);
        if (profile == KernelProfile.Seed)
        {
            _ = host.Mdev.RegisterDriver(new RecordingMdevDriver("vfio_mdev")).Value;

            // The seed makes /sys/class/mdev_bus at the first registration and keeps it.
            Device warmup = host.DeviceModel.AddPlatformDevice("warmup").Value;
            host.Mdev.UnregisterParent(TestHosts.Register(host, warmup, new TestVendor())).Should().Be(Errno.None);
        }

        Device gpu = TestHosts.AddGpu(host);
        string before = SysfsTreeWriter.Write(host.Sysfs);
        int parentRefs = gpu.ReferenceCount;
        MdevParent parent = TestHosts.Register(host, gpu, new TestVendor(), maxInstances: 3);
        string create = parent.Types[0].Path("create");
        string[] uuids = [TestHosts.Uuid1, TestHosts.Uuid2, TestHosts.Uuid3, "83b8f4f2-509f-382f-3c1e-e6bfe0fa1004"];
        var seen = new System.Collections.Concurrent.ConcurrentBag<Errno>();

        Task[] workers = [.. Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            var random = new Random(w);
            for (int i = 0; i < 1500; i++)
            {
                string uuid = uuids[random.Next(uuids.Length)];
                Result<int> r = random.Next(2) == 0
                    ? host.Sysfs.Write(create, uuid + "\n")
                    : host.Sysfs.Write($"/sys/bus/mdev/devices/{uuid}/remove", "1");
                seen.Add(r.Error);
            }
        }))];
        Task.WaitAll(workers, Limit).Should().BeTrue();

        seen.Should().OnlyContain(e => e == Errno.None || e == Errno.EEXIST || e == Errno.ENOENT || e == Errno.EAGAIN
            || e == Errno.ENODEV || e == Errno.EUSERS);
        seen.Should().Contain(Errno.None);

        foreach (MdevDevice mdev in host.Mdev.GetDevices())
        {
            // A device whose remove lost a race with its own create has no remove file any more (EAGAIN
            // path); only unregistration takes it away, as in the kernel.
            _ = host.Mdev.RemoveDevice(mdev);
        }

        parent.Types[0].AvailableInstances.Should().Be(Math.Max(0, 3 - host.Mdev.DeviceCount), "the seed does not enforce the budget; the count shown never goes below 0");
        host.Mdev.UnregisterParent(parent).Should().Be(Errno.None);
        host.Mdev.DeviceCount.Should().Be(0);
        host.IommuGroups.Count.Should().Be(0);
        gpu.ReferenceCount.Should().Be(parentRefs);
        SysfsTreeWriter.Write(host.Sysfs).Should().Be(before);
    }

    [Fact]
    public void Create_and_remove_racing_unregistration_end_with_no_devices_and_legal_errnos()
    {
        for (int round = 0; round < 20; round++)
        {
            MdevHost host = TestHosts.Create();
            Device gpu = TestHosts.AddGpu(host);
            MdevParent parent = TestHosts.Register(host, gpu, new TestVendor(), maxInstances: 64);
            MdevType type = parent.Types[0];
            var seen = new System.Collections.Concurrent.ConcurrentBag<Errno>();
            using var start = new Barrier(3);

            Task churn = Task.Run(() =>
            {
                start.SignalAndWait();
                for (int i = 0; i < 200; i++)
                {
                    var uuid = new Guid(i, 1, 1, new byte[8]);
                    seen.Add(host.Mdev.CreateDevice(type, uuid).Error);
                    seen.Add(host.Mdev.RemoveDevice(uuid));
                }
            });
            Task creates = Task.Run(() =>
            {
                start.SignalAndWait();
                for (int i = 0; i < 200; i++)
                {
                    seen.Add(host.Mdev.CreateDevice(type, new Guid(i, 2, 2, new byte[8])).Error);
                }
            });
            start.SignalAndWait();
            host.Mdev.UnregisterParent(parent).Should().Be(Errno.None);
            Task.WaitAll([churn, creates], Limit).Should().BeTrue();

            seen.Should().OnlyContain(e => e == Errno.None || e == Errno.ENODEV || e == Errno.EAGAIN || e == Errno.EUSERS);
            host.Mdev.DeviceCount.Should().Be(0);
            host.IommuGroups.Count.Should().Be(0);
            host.Sysfs.Exists(gpu.SysfsPath + "/mdev_supported_types").Should().BeFalse();
            host.DeviceModel.GetChildren(gpu).Should().BeEmpty();
        }
    }

    [Fact]
    public void Lookups_during_a_storm_see_either_nothing_or_a_live_device()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor(), maxInstances: 1);
        var uuid = Guid.Parse(TestHosts.Uuid1);
        using var stop = new CancellationTokenSource();
        Task churn = Task.Run(() =>
        {
            for (int i = 0; i < 2000; i++)
            {
                _ = host.Mdev.CreateDevice(parent.Types[0], uuid);
                _ = host.Mdev.RemoveDevice(uuid);
            }
        });
        int leases = 0;
        while (!churn.IsCompleted)
        {
            if (host.Mdev.AcquireDevice(uuid).TryGetValue(out Lease<MdevDevice>? lease))
            {
                lease.Target.IsReleased.Should().BeFalse();
                lease.Dispose();
                leases++;
            }
        }

        churn.Wait(Limit).Should().BeTrue();
        host.Mdev.DeviceCount.Should().Be(0);
        parent.Types[0].AvailableInstances.Should().Be(1);
    }
}
