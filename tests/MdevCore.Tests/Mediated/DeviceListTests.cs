using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.Mediated;

/// <summary>
/// The mdev list is a hash table with lock-free lookups, and mdev directories and bus entries are rendered from it
/// rather than stored: these pin down that nothing is lost, found twice or found stale on the way.
/// </summary>
public sealed class DeviceListTests
{
    private static Guid Uuid(int i) => new(i, (short)(i >> 16), 0x4242, 1, 2, 3, 4, 5, 6, 7, 8);

    [Fact]
    public void Lookups_and_counts_follow_any_sequence_of_creates_and_removes()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor(), maxInstances: 100_000);
        var model = new Dictionary<Guid, MdevDevice>();
        var random = new Random(42);
        for (int step = 0; step < 20_000; step++)
        {
            // Grow to a few thousand (several table rebuilds), then churn, so removals leave tombstones behind.
            Guid uuid = Uuid(random.Next(model.Count < 3_000 ? 6_000 : 4_000));
            if (model.Remove(uuid, out MdevDevice? live))
            {
                host.Mdev.RemoveDevice(live).Should().Be(Errno.None);
            }
            else
            {
                model[uuid] = host.Mdev.CreateDevice(parent.Types[0], uuid).GetValueOrThrow();
            }

            if (step % 997 == 0)
            {
                host.Mdev.DeviceCount.Should().Be(model.Count);
                host.Mdev.GetDevices().Select(d => d.Uuid).Order().Should().Equal(model.Keys.Order());
            }
        }

        for (int i = 0; i < 6_000; i++)
        {
            bool listed = host.Mdev.TryGetDevice(Uuid(i), out MdevDevice? found);
            listed.Should().Be(model.TryGetValue(Uuid(i), out MdevDevice? expected), "UUID {0}", Uuid(i));
            ReferenceEquals(found, expected).Should().BeTrue("UUID {0} must map to the device created for it", Uuid(i));
        }

        string[] names = [.. model.Keys.Select(u => u.ToString()).Order(StringComparer.Ordinal)];
        host.Sysfs.List("/sys/bus/mdev/devices").Value.Should().Equal(names);
        host.Sysfs.List(parent.Device.SysfsPath).Value.Where(n => n.Length == 36).Should().Equal(names);
    }

    [Fact]
    public void A_lookup_never_misses_a_listed_device_while_other_creates_and_removes_rebuild_the_table()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor(), maxInstances: 100_000);
        Guid[] stable = [.. Enumerable.Range(0, 64).Select(Uuid)];
        foreach (Guid uuid in stable)
        {
            _ = host.Mdev.CreateDevice(parent.Types[0], uuid).GetValueOrThrow();
        }

        using var done = new CancellationTokenSource();
        int misses = 0;
        long lookups = 0;
        var reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                foreach (Guid uuid in stable)
                {
                    if (!host.Mdev.TryGetDevice(uuid, out _))
                    {
                        Interlocked.Increment(ref misses);
                    }

                    Interlocked.Increment(ref lookups);
                }
            }
        });
        SpinWait.SpinUntil(() => Interlocked.Read(ref lookups) > 0);

        // Grow to 4,000 and shrink back three times: the table is rebuilt on the way up and cleaned of tombstones after.
        for (int round = 0; round < 3; round++)
        {
            var made = new List<MdevDevice>();
            for (int i = 1_000; i < 5_000; i++)
            {
                made.Add(host.Mdev.CreateDevice(parent.Types[0], Uuid(i)).GetValueOrThrow());
            }

            foreach (MdevDevice mdev in made)
            {
                host.Mdev.RemoveDevice(mdev).Should().Be(Errno.None);
            }
        }

        done.Cancel();
        reader.Wait();
        lookups.Should().BePositive();
        misses.Should().Be(0);
        host.Mdev.DeviceCount.Should().Be(stable.Length);
    }

    [Fact]
    public void Mdev_directory_is_found_by_its_lower_case_uuid_only_in_its_parent_and_on_the_bus()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor());
        MdevDevice mdev = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).GetValueOrThrow();
        string upper = TestHosts.Uuid1.ToUpperInvariant();

        host.Sysfs.Exists(parent.Device.SysfsPath + "/" + TestHosts.Uuid1).Should().BeTrue();
        host.Sysfs.Exists(parent.Device.SysfsPath + "/" + upper).Should().BeFalse();
        host.Sysfs.Exists("/sys/bus/mdev/devices/" + upper).Should().BeFalse();
        host.Sysfs.Exists("/sys/devices/virtual/" + TestHosts.Uuid1).Should().BeFalse("an mdev appears only under its own parent");
        host.Sysfs.ReadLink("/sys/bus/mdev/devices/" + TestHosts.Uuid1).Value
            .Should().Be("../../../devices/pci0000:00/0000:00:02.0/" + TestHosts.Uuid1);
        mdev.Name.Should().Be(TestHosts.Uuid1);
    }

    [Fact]
    public void A_plain_device_cannot_take_the_name_of_an_mdev_in_the_same_parent_or_on_the_mdev_bus()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor());
        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).GetValueOrThrow();

        host.DeviceModel.AddChildDevice(parent.Device, TestHosts.Uuid1).Error.Should().Be(Errno.EEXIST);
        Device other = host.DeviceModel.AddPlatformDevice("other").GetValueOrThrow();
        host.DeviceModel.AddChildDevice(other, TestHosts.Uuid1, host.Mdev.Bus).Error.Should().Be(Errno.EEXIST);

        // Once the mdev is gone, both names are free again.
        host.Mdev.RemoveDevice(Guid.Parse(TestHosts.Uuid1)).Should().Be(Errno.None);
        host.DeviceModel.AddChildDevice(other, TestHosts.Uuid1, host.Mdev.Bus).Succeeded.Should().BeTrue();
        host.Sysfs.List("/sys/bus/mdev/devices").Value.Should().Equal(TestHosts.Uuid1);
    }

    [Fact]
    public void Create_of_a_uuid_held_by_a_plain_device_on_the_mdev_bus_returns_EEXIST_and_leaves_nothing()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor());
        Device other = host.DeviceModel.AddPlatformDevice("other").GetValueOrThrow();
        _ = host.DeviceModel.AddChildDevice(other, TestHosts.Uuid1, host.Mdev.Bus).GetValueOrThrow();
        int available = parent.AvailableCounter;

        host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Error.Should().Be(Errno.EEXIST);

        host.Mdev.DeviceCount.Should().Be(0);
        parent.AvailableCounter.Should().Be(available);
        host.Sysfs.Exists(parent.Device.SysfsPath + "/" + TestHosts.Uuid1).Should().BeFalse();
    }
}
