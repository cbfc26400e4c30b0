using MdevCore.Mediated;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.Mediated;

/// <summary>kernel-mdev.md §11 items 3-4 and §5.10.</summary>
public sealed class AvailableInstancesTests
{
    [Fact]
    public void Core_budget_of_two_makes_the_third_create_return_EUSERS()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor(), maxInstances: 2);
        MdevType type = parent.Types[0];
        host.Sysfs.Write(type.Path("create"), TestHosts.Uuid1).Succeeded.Should().BeTrue();
        host.Sysfs.Write(type.Path("create"), TestHosts.Uuid2).Succeeded.Should().BeTrue();
        _ = host.UEvents.Drain();

        host.Sysfs.Write(type.Path("create"), TestHosts.Uuid3).Error.Should().Be(Errno.EUSERS);

        host.Sysfs.ReadText(type.Path("available_instances")).Value.Should().Be("0\n");
        host.UEvents.Drain().Should().BeEmpty("EUSERS comes before any device is added");
    }

    [Fact]
    public void Core_budget_is_shared_by_all_types_of_a_parent()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor(new("a", "vfio-pci"), new("b", "vfio-pci")), maxInstances: 2);
        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        host.Sysfs.ReadText(parent.Types[1].Path("available_instances")).Value.Should().Be("1\n");
        _ = host.Mdev.CreateDevice(parent.Types[1], Guid.Parse(TestHosts.Uuid2)).Value;
        host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid3)).Error.Should().Be(Errno.EUSERS);
    }

    [Fact]
    public void Core_counter_comes_back_only_at_the_final_release()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor(), maxInstances: 1);
        MdevType type = parent.Types[0];
        var uuid = Guid.Parse(TestHosts.Uuid1);
        _ = host.Mdev.CreateDevice(type, uuid).Value;
        Lease<MdevDevice> lease = host.Mdev.AcquireDevice(uuid).Value;

        host.Mdev.RemoveDevice(uuid).Should().Be(Errno.None);
        type.AvailableInstances.Should().Be(0, "a lease still pins the device");
        host.Mdev.CreateDevice(type, uuid).Error.Should().Be(Errno.EEXIST, "the UUID stays taken until release");
        host.Mdev.CreateDevice(type, Guid.Parse(TestHosts.Uuid2)).Error.Should().Be(Errno.EUSERS);

        lease.Dispose();
        type.AvailableInstances.Should().Be(1);
        host.Mdev.CreateDevice(type, uuid).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Seed_profile_does_not_enforce_the_core_budget()
    {
        MdevHost host = TestHosts.Create(KernelProfile.Seed);
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor(), maxInstances: 1);
        host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Succeeded.Should().BeTrue();
        host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid2)).Succeeded.Should().BeTrue();
        parent.Types[0].AvailableInstances.Should().Be(0);
    }

    [Fact]
    public void Vendor_pool_of_24_ports_allows_12_dual_port_devices_then_ENOSPC_after_add_and_remove()
    {
        MdevHost host = TestHosts.Create();
        var vendor = new PoolVendor(24);
        MdevParent parent = TestHosts.Register(host, TestHosts.AddVirtual(host), vendor, maxInstances: 0);
        MdevType single = parent.Types[0], dual = parent.Types[1];
        host.Sysfs.ReadText(single.Path("available_instances")).Value.Should().Be("24\n");
        host.Sysfs.ReadText(dual.Path("available_instances")).Value.Should().Be("12\n");

        for (int i = 0; i < 12; i++)
        {
            host.Mdev.CreateDevice(dual, new Guid(i, 0, 0, new byte[8])).Succeeded.Should().BeTrue();
            host.Sysfs.ReadText(single.Path("available_instances")).Value.Should().Be($"{24 - (2 * (i + 1))}\n");
        }

        _ = host.UEvents.Drain();
        host.Mdev.CreateDevice(dual, new Guid(99, 0, 0, new byte[8])).Error.Should().Be(Errno.ENOSPC);
        host.UEvents.Drain().Select(e => e.Action.ToString()).Should().Equal("Add", "Remove");
    }
}
