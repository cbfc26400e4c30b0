using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.Mediated;

/// <summary>kernel-mdev.md §11 items 5-6 and the remove rows of §5.11.</summary>
public sealed class RemoveTests
{
    private static (MdevHost Host, MdevParent Parent, TestVendor Vendor, string Remove) Setup(KernelProfile profile = KernelProfile.Modern)
    {
        MdevHost host = TestHosts.Create(profile);
        var vendor = new TestVendor();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), vendor);
        host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).GetValueOrThrow();
        return (host, parent, vendor, $"/sys/bus/mdev/devices/{TestHosts.Uuid1}/remove");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1\n")]
    [InlineData("0x1")]
    [InlineData("01")]
    [InlineData("+1")]
    [InlineData("42")]
    public void Remove_with_a_kstrtoul_number_removes_the_device(string text)
    {
        var (host, _, _, remove) = Setup();
        host.Sysfs.Write(remove, text).Value.Should().Be(text.Length);
        host.Mdev.DeviceCount.Should().Be(0);
        host.Sysfs.Exists("/sys/bus/mdev/devices/" + TestHosts.Uuid1).Should().BeFalse();
    }

    [Theory]
    [InlineData(" 1")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1 ")]
    [InlineData("0x")]
    [InlineData("99999999999999999999999")]
    public void Remove_with_an_unparsable_value_returns_EINVAL_and_keeps_the_device(string text)
    {
        var (host, _, _, remove) = Setup();
        host.Sysfs.Write(remove, text).Error.Should().Be(Errno.EINVAL);
        host.Mdev.DeviceCount.Should().Be(1);
        host.Sysfs.Stat(remove).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Remove_with_zero_is_a_no_op_that_succeeds()
    {
        var (host, _, _, remove) = Setup();
        host.Sysfs.Write(remove, "0\n").Value.Should().Be(2);
        host.Mdev.DeviceCount.Should().Be(1);
    }

    [Fact]
    public void Remove_sends_unbind_then_remove()
    {
        var (host, _, _, remove) = Setup();
        _ = host.UEvents.Drain();
        _ = host.Sysfs.Write(remove, "1");
        IReadOnlyList<UEvent> events = host.UEvents.Drain();
        events.Select(e => e.Action).Should().Equal(UEventAction.Unbind, UEventAction.Remove);
        // __device_release_driver clears dev->driver (device_unbind_cleanup) before KOBJ_UNBIND: no DRIVER= in either.
        events[0]["DRIVER"].Should().BeNull();
        events[1]["DRIVER"].Should().BeNull();
        events.Should().OnlyContain(e => e.Subsystem == "mdev" && e.DevPath == "/devices/pci0000:00/0000:00:02.0/" + TestHosts.Uuid1);
    }

    [Fact]
    public void Remove_of_a_device_whose_create_is_in_flight_returns_EAGAIN_and_the_remove_file_stays_gone()
    {
        MdevHost host = TestHosts.Create();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var vendor = new TestVendor { OnCreate = _ => { entered.Set(); release.Wait(TimeSpan.FromSeconds(30)); return Errno.None; } };
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), vendor);
        string remove = $"/sys/bus/mdev/devices/{TestHosts.Uuid1}/remove";

        Task<Result<MdevDevice>> create = Task.Run(() => host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)));
        entered.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue();
        host.Sysfs.Write(remove, "1").Error.Should().Be(Errno.EAGAIN);
        release.Set();
        create.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue();

        create.Result.Succeeded.Should().BeTrue();
        host.Sysfs.Exists(remove).Should().BeFalse();
        host.Mdev.DeviceCount.Should().Be(1);
        host.Mdev.UnregisterParent(parent).Should().Be(Errno.None);
        host.Mdev.DeviceCount.Should().Be(0, "only parent unregistration can take such a device away");
    }

    [Fact]
    public void Remove_through_a_stale_handle_after_removal_returns_ENODEV()
    {
        var (host, _, _, remove) = Setup();
        MdevCore.Sysfs.SysfsOpenFile file = host.Sysfs.Open(remove, MdevCore.Sysfs.SysfsAccess.Write).Value;
        _ = host.Mdev.RemoveDevice(Guid.Parse(TestHosts.Uuid1));
        file.Write("1"u8).Error.Should().Be(Errno.ENODEV);
    }

    [Fact]
    public void Remove_of_an_unknown_uuid_returns_ENODEV()
    {
        var (host, _, _, _) = Setup();
        host.Mdev.RemoveDevice(Guid.Parse(TestHosts.Uuid2)).Should().Be(Errno.ENODEV);
    }

    [Fact]
    public void Modern_remove_of_an_open_device_waits_until_it_is_closed()
    {
        var (host, _, vendor, remove) = Setup();
        host.Mdev.TryGetDevice(Guid.Parse(TestHosts.Uuid1), out MdevDevice? mdev).Should().BeTrue();
        MdevDeviceHandle handle = mdev!.Open().Value;

        Task<Result<int>> removal = Task.Run(() => host.Sysfs.Write(remove, "1"));
        removal.Wait(TimeSpan.FromMilliseconds(200)).Should().BeFalse("remove blocks while the device is open");
        vendor.Calls.Should().NotContain("remove " + TestHosts.Uuid1);

        handle.Dispose();
        removal.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue();
        removal.Result.Value.Should().Be(1);
        host.Mdev.DeviceCount.Should().Be(0);
    }

    [Fact]
    public void Seed_vendor_may_veto_remove_with_EBUSY_and_the_remove_file_comes_back()
    {
        var (host, _, vendor, remove) = Setup(KernelProfile.Seed);
        vendor.RemoveResult = Errno.EBUSY;
        host.Sysfs.Write(remove, "1").Error.Should().Be(Errno.EBUSY);
        host.Mdev.DeviceCount.Should().Be(1);
        host.Sysfs.Stat(remove).Value.Mode.Should().Be(MdevCore.Sysfs.SysfsAttribute.Modes.WriteOnly);

        vendor.RemoveResult = Errno.None;
        host.Sysfs.Write(remove, "1").Value.Should().Be(1);
        host.Mdev.DeviceCount.Should().Be(0);
    }

    [Fact]
    public void Seed_vendor_veto_passes_the_real_errno_not_a_masked_EBUSY()
    {
        var (host, _, vendor, remove) = Setup(KernelProfile.Seed);
        vendor.RemoveResult = Errno.EAGAIN;
        host.Sysfs.Write(remove, "1").Error.Should().Be(Errno.EAGAIN);
    }

    [Fact]
    public void Modern_vendor_errno_on_remove_cannot_keep_the_device()
    {
        var (host, _, vendor, remove) = Setup();
        vendor.RemoveResult = Errno.EBUSY;
        host.Sysfs.Write(remove, "1").Value.Should().Be(1);
        host.Mdev.DeviceCount.Should().Be(0);
    }

    [Fact]
    public void Two_concurrent_remove_writes_both_succeed_with_one_effect()
    {
        var (host, _, vendor, remove) = Setup();
        using var barrier = new Barrier(2);
        Task<Result<int>>[] writers = [.. Enumerable.Range(0, 2).Select(_ => Task.Run(() => { barrier.SignalAndWait(); return host.Sysfs.Write(remove, "1"); }))];
        Task.WaitAll(writers, TimeSpan.FromSeconds(30)).Should().BeTrue();
        writers.Should().OnlyContain(w => w.Result.Succeeded || w.Result.Error == Errno.ENOENT || w.Result.Error == Errno.ENODEV);
        writers.Count(w => w.Result.Succeeded).Should().BeGreaterThanOrEqualTo(1);
        vendor.Calls.Count(c => c.StartsWith("remove", StringComparison.Ordinal)).Should().Be(1);
    }
}
