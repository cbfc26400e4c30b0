using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Reliability.Faults;
using MdevCore.Sysfs;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.Mediated;

/// <summary>A finite RemoveWaitTimeout gets through the waits of unregistration that the kernel would never leave.</summary>
public sealed class UnregistrationTimeoutTests
{
    private static readonly Guid Uuid = Guid.Parse(TestHosts.Uuid1);

    private static MdevHost Host(KernelProfile profile) =>
        new(new MdevHostOptions { Profile = profile, RemoveWaitTimeout = TimeSpan.FromMilliseconds(200) });

    private static void AssertParentGone(MdevHost host, Device device, string before)
    {
        host.Mdev.DeviceCount.Should().Be(0);
        host.Mdev.GetParents().Should().BeEmpty();
        host.IommuGroups.Count.Should().Be(0);
        SysfsTreeWriter.Write(host.Sysfs).Should().Be(before);
        host.DeviceModel.DeleteDevice(device).Should().Be(Errno.None);
    }

    [Theory]
    [InlineData(KernelProfile.Modern)]
    [InlineData(KernelProfile.Seed)]
    public void Create_that_unregisters_its_own_parent_returns_ENODEV_and_leaves_nothing(KernelProfile profile)
    {
        MdevHost host = Host(profile);
        if (profile == KernelProfile.Seed)
        {
            _ = host.Mdev.RegisterDriver(new RecordingMdevDriver("vfio_mdev")).Value;
            Device warmup = host.DeviceModel.AddPlatformDevice("warmup").Value;
            host.Mdev.UnregisterParent(TestHosts.Register(host, warmup, new TestVendor())).Should().Be(Errno.None);
        }

        Device gpu = TestHosts.AddGpu(host);
        string before = SysfsTreeWriter.Write(host.Sysfs);
        var vendor = new TestVendor();
        MdevParent parent = TestHosts.Register(host, gpu, vendor);
        Errno unregistered = Errno.EINVAL;
        vendor.OnCreate = _ =>
        {
            // Waits for this very create: the kernel's down_write(unreg_sem) never returns here.
            unregistered = host.Mdev.UnregisterParent(parent);
            return Errno.None;
        };

        host.Mdev.CreateDevice(parent.Types[0], Uuid).Error.Should().Be(Errno.ENODEV);

        unregistered.Should().Be(Errno.None);
        AssertParentGone(host, gpu, before);
    }

    [Fact]
    public void Unregistration_that_stops_waiting_for_a_slow_create_removes_it_when_it_finishes()
    {
        MdevHost host = Host(KernelProfile.Modern);
        Device gpu = TestHosts.AddGpu(host);
        string before = SysfsTreeWriter.Write(host.Sysfs);
        var vendor = new FaultyVendor { Plan = new FaultPlan("Create", 1, FaultKind.Block) };
        MdevParent parent = TestHosts.Register(host, gpu, vendor);
        Task<Result<MdevDevice>> create = Task.Run(() => host.Mdev.CreateDevice(parent.Types[0], Uuid));
        SpinWait.SpinUntil(() => vendor.Calls("Create") == 1, TimeSpan.FromSeconds(20)).Should().BeTrue();

        host.Mdev.UnregisterParent(parent).Should().Be(Errno.None);
        vendor.Unblock();

        create.Wait(TimeSpan.FromSeconds(20)).Should().BeTrue();
        create.Result.Error.Should().Be(Errno.ENODEV);
        vendor.Calls("Remove").Should().Be(1, "the vendor's create is undone exactly once");
        AssertParentGone(host, gpu, before);
    }
}
