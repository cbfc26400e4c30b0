using MdevCore.Mediated;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.Conventions;

public sealed class HostIsolationTests
{
    [Fact]
    public void Two_hosts_in_one_process_share_nothing()
    {
        MdevHost a = TestHosts.Create(), b = TestHosts.Create(KernelProfile.Seed);
        MdevParent pa = TestHosts.Register(a, TestHosts.AddGpu(a), new TestVendor());
        MdevParent pb = TestHosts.Register(b, TestHosts.AddGpu(b), new TestVendor());
        var uuid = Guid.Parse(TestHosts.Uuid1);

        a.Mdev.CreateDevice(pa.Types[0], uuid).Succeeded.Should().BeTrue();
        b.Mdev.CreateDevice(pb.Types[0], uuid).Succeeded.Should().BeTrue("the same UUID on another host is no duplicate");

        a.Mdev.DeviceCount.Should().Be(1);
        b.Mdev.DeviceCount.Should().Be(1);
        a.IommuGroups.GetIds().Should().Equal(0);
        b.IommuGroups.GetIds().Should().BeEmpty("no bus driver is loaded on the seed host");
        a.UEvents.Drain().Select(e => e.SequenceNumber).Should().StartWith(1UL);
        b.UEvents.Drain().Select(e => e.SequenceNumber).Should().StartWith(1UL);

        a.Mdev.RemoveDevice(uuid).Should().Be(Errno.None);
        b.Mdev.TryGetDevice(uuid, out _).Should().BeTrue();
        b.Sysfs.Exists("/sys/bus/mdev/devices/" + TestHosts.Uuid1).Should().BeTrue();
    }
}
