using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Sysfs;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.Mediated;

/// <summary>kernel-mdev.md §11 items 6-8, §5.3, §5.7 and the register rows of §5.11.</summary>
public sealed class ParentRegistrationTests
{
    [Fact]
    public void Register_creates_types_class_link_and_sends_change_registered()
    {
        MdevHost host = TestHosts.Create();
        Device gpu = TestHosts.AddGpu(host);
        _ = host.UEvents.Drain();

        MdevParent parent = TestHosts.Register(host, gpu, new DescribingVendor(new("a", "vfio-pci", "Type A"), new("b", "vfio-pci")));

        host.Sysfs.List(gpu.SysfsPath + "/mdev_supported_types").Value.Should().Equal("i915-a", "i915-b");
        host.Sysfs.ReadLink("/sys/class/mdev_bus/0000:00:02.0").Value.Should().Be("../../devices/pci0000:00/0000:00:02.0");
        UEvent change = host.UEvents.Drain().Should().ContainSingle().Subject;
        change.Action.Should().Be(UEventAction.Change);
        change.DevPath.Should().Be("/devices/pci0000:00/0000:00:02.0");
        change.Environment.Select(p => p.Key).Take(4).Should().Equal("ACTION", "DEVPATH", "SUBSYSTEM", "MDEV_STATE");
        change["SUBSYSTEM"].Should().Be("pci");
        change["MDEV_STATE"].Should().Be("registered");
        change["DRIVER"].Should().Be("i915");
        parent.IsRegistered.Should().BeTrue();
    }

    [Fact]
    public void Seed_register_sends_no_uevent_and_creates_the_compat_class_lazily()
    {
        MdevHost host = TestHosts.Create(KernelProfile.Seed);
        host.Sysfs.Exists("/sys/class/mdev_bus").Should().BeFalse();
        Device gpu = TestHosts.AddGpu(host);
        _ = host.UEvents.Drain();
        _ = TestHosts.Register(host, gpu, new TestVendor());
        host.UEvents.Drain().Should().BeEmpty();
        host.Sysfs.List("/sys/class/mdev_bus").Value.Should().Equal("0000:00:02.0");
    }

    [Fact]
    public void Modern_host_has_the_compat_class_before_any_registration()
    {
        MdevHost host = TestHosts.Create();
        host.Sysfs.List("/sys/class/mdev_bus").Value.Should().BeEmpty();
    }

    [Fact]
    public void Modern_duplicate_registration_returns_ENOMEM_and_keeps_the_first()
    {
        MdevHost host = TestHosts.Create();
        Device gpu = TestHosts.AddGpu(host);
        MdevParent first = TestHosts.Register(host, gpu, new TestVendor());
        host.Mdev.RegisterParent(gpu, new TestVendor(), new MdevParentOptions { MaxInstances = 1 }).Error.Should().Be(Errno.ENOMEM);
        first.IsRegistered.Should().BeTrue();
        host.Mdev.CreateDevice(first.Types[0], Guid.Parse(TestHosts.Uuid1)).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Seed_duplicate_registration_returns_EEXIST()
    {
        MdevHost host = TestHosts.Create(KernelProfile.Seed);
        Device gpu = TestHosts.AddGpu(host);
        _ = TestHosts.Register(host, gpu, new TestVendor());
        host.Mdev.RegisterParent(gpu, new TestVendor()).Error.Should().Be(Errno.EEXIST);
    }

    [Fact]
    public void Seed_registration_without_types_returns_EINVAL()
    {
        MdevHost host = TestHosts.Create(KernelProfile.Seed);
        host.Mdev.RegisterParent(TestHosts.AddGpu(host), new EmptyVendor()).Error.Should().Be(Errno.EINVAL);
    }

    [Theory]
    [InlineData(KernelProfile.Modern)]
    [InlineData(KernelProfile.Seed)]
    public void Registration_with_duplicate_type_names_returns_EEXIST_and_leaves_nothing(KernelProfile profile)
    {
        MdevHost host = TestHosts.Create(profile);
        Device gpu = TestHosts.AddGpu(host);
        string before = SysfsTreeWriter.Write(host.Sysfs);
        _ = host.UEvents.Drain();

        host.Mdev.RegisterParent(gpu, new TestVendor(new("a", "vfio-pci"), new("a", "vfio-pci"))).Error.Should().Be(Errno.EEXIST);

        SysfsTreeWriter.Write(host.Sysfs).Should().Be(before);
        host.Sysfs.Exists(gpu.SysfsPath + "/mdev_supported_types").Should().BeFalse();
        host.Sysfs.Exists("/sys/class/mdev_bus/0000:00:02.0").Should().BeFalse();
        host.UEvents.Drain().Should().BeEmpty();
        host.Mdev.RegisterParent(gpu, new TestVendor()).Succeeded.Should().BeTrue("the failed attempt left no reservation");
    }

    [Fact]
    public void Register_of_a_deleted_device_returns_ENODEV()
    {
        MdevHost host = TestHosts.Create();
        Device dev = host.DeviceModel.AddPlatformDevice("gone").Value;
        host.DeviceModel.DeleteDevice(dev).Should().Be(Errno.None);
        host.Mdev.RegisterParent(dev, new TestVendor()).Error.Should().Be(Errno.ENODEV);
    }

    [Fact]
    public void Deleting_a_device_that_is_still_a_parent_returns_EBUSY()
    {
        MdevHost host = TestHosts.Create();
        Device dev = host.DeviceModel.AddPlatformDevice("p").Value;
        MdevParent parent = TestHosts.Register(host, dev, new TestVendor());
        host.DeviceModel.DeleteDevice(dev).Should().Be(Errno.EBUSY);
        host.Mdev.UnregisterParent(parent).Should().Be(Errno.None);
        host.DeviceModel.DeleteDevice(dev).Should().Be(Errno.None);
    }

    [Fact]
    public void Unregister_removes_every_child_then_the_types_then_sends_change_unregistered()
    {
        MdevHost host = TestHosts.Create();
        Device gpu = TestHosts.AddGpu(host);
        MdevParent parent = TestHosts.Register(host, gpu, new TestVendor());
        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid2)).Value;
        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        _ = host.UEvents.Drain();

        host.Mdev.UnregisterParent(parent).Should().Be(Errno.None);

        host.UEvents.Drain().Select(e => $"{e.Action.ToKernelString()} {e.DevPath.Split('/')[^1]} {e["MDEV_STATE"]}".TrimEnd()).Should().Equal(
            $"unbind {TestHosts.Uuid2}", $"remove {TestHosts.Uuid2}",
            $"unbind {TestHosts.Uuid1}", $"remove {TestHosts.Uuid1}",
            "change 0000:00:02.0 unregistered");
        host.Sysfs.Exists(gpu.SysfsPath + "/mdev_supported_types").Should().BeFalse();
        host.Sysfs.Exists("/sys/class/mdev_bus/0000:00:02.0").Should().BeFalse();
        host.Mdev.DeviceCount.Should().Be(0);
        host.Mdev.UnregisterParent(parent).Should().Be(Errno.ENODEV);
    }

    [Fact]
    public void Unregister_removes_all_children_even_when_a_vendor_remove_throws()
    {
        MdevHost host = TestHosts.Create();
        var vendor = new TestVendor();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), vendor);
        foreach (string uuid in new[] { TestHosts.Uuid1, TestHosts.Uuid2, TestHosts.Uuid3 })
        {
            _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(uuid)).Value;
        }

        vendor.RemoveThrows = new InvalidOperationException("vendor bug");
        host.Mdev.UnregisterParent(parent).Should().Be(Errno.None);
        host.Mdev.DeviceCount.Should().Be(0);
        host.IommuGroups.Count.Should().Be(0);
    }

    [Fact]
    public void Create_while_the_parent_unregisters_returns_ENODEV_and_unregister_waits_for_it()
    {
        MdevHost host = TestHosts.Create();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var vendor = new TestVendor { OnCreate = m => { if (m.Name == TestHosts.Uuid1) { entered.Set(); release.Wait(TimeSpan.FromSeconds(30)); } return Errno.None; } };
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), vendor);
        MdevType type = parent.Types[0];

        Task<Result<MdevDevice>> slowCreate = Task.Run(() => host.Mdev.CreateDevice(type, Guid.Parse(TestHosts.Uuid1)));
        entered.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue();
        Task<Errno> unregister = Task.Run(() => host.Mdev.UnregisterParent(parent));
        SpinWait.SpinUntil(() => !parent.IsRegistered, TimeSpan.FromSeconds(30)).Should().BeTrue();

        host.Mdev.CreateDevice(type, Guid.Parse(TestHosts.Uuid2)).Error.Should().Be(Errno.ENODEV);
        unregister.Wait(TimeSpan.FromMilliseconds(100)).Should().BeFalse("unregistration waits for the create in flight");

        release.Set();
        slowCreate.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue();
        unregister.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue();
        slowCreate.Result.Succeeded.Should().BeTrue();
        host.Mdev.DeviceCount.Should().Be(0, "unregistration removed the device created just before it");
    }

    [Fact]
    public void Parents_registered_in_parallel_all_succeed()
    {
        foreach (KernelProfile profile in new[] { KernelProfile.Modern, KernelProfile.Seed })
        {
            MdevHost host = TestHosts.Create(profile);
            Device[] devices = [.. Enumerable.Range(0, 32).Select(i => host.DeviceModel.AddPlatformDevice($"p{i}").Value)];
            Result<MdevParent>[] results = new Result<MdevParent>[devices.Length];
            Parallel.For(0, devices.Length, i => results[i] = host.Mdev.RegisterParent(devices[i], new TestVendor(), new MdevParentOptions { MaxInstances = 1 }));
            results.Should().OnlyContain(r => r.Succeeded);
            host.Sysfs.List("/sys/class/mdev_bus").Value.Should().HaveCount(32);
        }
    }

    private sealed class EmptyVendor : IMdevParentOps
    {
        public IReadOnlyList<MdevTypeInfo> SupportedTypes { get; } = [];

        public Errno Create(MdevDevice mdev) => Errno.None;

        public Errno Remove(MdevDevice mdev) => Errno.None;
    }
}
