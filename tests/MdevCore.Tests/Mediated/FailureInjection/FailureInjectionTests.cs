using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Sysfs;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.Mediated.FailureInjection;

/// <summary>Every vendor and driver callback fails in turn; afterwards the host is exactly as before.</summary>
public sealed class FailureInjectionTests
{
    public enum Fault
    {
        VendorCreateErrno,
        VendorCreateThrows,
        DriverProbeErrno,
        DriverProbeThrows,
        VendorGroupCollides,
    }

    [Theory]
    [InlineData(KernelProfile.Modern, Fault.VendorCreateErrno)]
    [InlineData(KernelProfile.Modern, Fault.VendorCreateThrows)]
    [InlineData(KernelProfile.Modern, Fault.DriverProbeErrno)]
    [InlineData(KernelProfile.Modern, Fault.DriverProbeThrows)]
    [InlineData(KernelProfile.Seed, Fault.VendorCreateErrno)]
    [InlineData(KernelProfile.Seed, Fault.VendorCreateThrows)]
    [InlineData(KernelProfile.Seed, Fault.VendorGroupCollides)]
    public void A_failed_create_leaves_no_residue(KernelProfile profile, Fault fault)
    {
        MdevHost host = TestHosts.Create(profile);
        var driver = new ThrowingMdevDriver("vfio_mdev")
        {
            ProbeResult = fault == Fault.DriverProbeErrno ? Errno.ENOMEM : Errno.None,
            ProbeThrows = fault == Fault.DriverProbeThrows,
        };
        DeviceDriver registered = host.Mdev.RegisterDriver(driver).Value;
        TestVendor vendor = fault == Fault.VendorGroupCollides ? new CollidingVendor() : new TestVendor();
        vendor.CreateResult = fault == Fault.VendorCreateErrno ? Errno.ENOSPC : Errno.None;
        vendor.CreateThrows = fault == Fault.VendorCreateThrows ? new InvalidOperationException("injected") : null;
        Device gpu = TestHosts.AddGpu(host);
        MdevParent parent = host.Mdev.RegisterParent(gpu, vendor,
            new MdevParentOptions { MaxInstances = 2, Driver = profile == KernelProfile.Modern ? registered : null }).Value;

        string tree = SysfsTreeWriter.Write(host.Sysfs);
        int refs = gpu.ReferenceCount;
        _ = host.UEvents.Drain();

        Result<MdevDevice> result = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1));

        result.Succeeded.Should().BeFalse();
        SysfsTreeWriter.Write(host.Sysfs).Should().Be(tree);
        gpu.ReferenceCount.Should().Be(refs);
        host.Mdev.DeviceCount.Should().Be(0);
        host.IommuGroups.Count.Should().Be(0);
        parent.Types[0].AvailableInstances.Should().Be(2);
        IReadOnlyList<UEvent> events = host.UEvents.Drain();
        if (profile == KernelProfile.Modern)
        {
            events.Select(e => e.Action).Should().Equal(UEventAction.Add, UEventAction.Remove);
        }
        else
        {
            events.Should().BeEmpty("the seed (with the ordering fixes) calls the vendor before device_add");
        }

        host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Error.Should().Be(result.Error, "a retry fails the same way: nothing of the first attempt is left in its way");
    }

    [Fact]
    public void A_parent_attribute_group_that_collides_fails_registration_with_no_residue()
    {
        MdevHost host = TestHosts.Create();
        Device gpu = TestHosts.AddGpu(host);
        string tree = SysfsTreeWriter.Write(host.Sysfs);
        host.Mdev.RegisterParent(gpu, new CollidingParentVendor()).Error.Should().Be(Errno.EEXIST);
        SysfsTreeWriter.Write(host.Sysfs).Should().Be(tree);
        host.Mdev.GetParents().Should().BeEmpty();
    }

    [Fact]
    public void Unregistration_continues_past_a_driver_whose_remove_throws()
    {
        MdevHost host = TestHosts.Create();
        var driver = new ThrowingMdevDriver("vfio_mdev") { RemoveThrows = true };
        DeviceDriver registered = host.Mdev.RegisterDriver(driver).Value;
        MdevParent parent = host.Mdev.RegisterParent(TestHosts.AddGpu(host), new TestVendor(), new MdevParentOptions { MaxInstances = 4, Driver = registered }).Value;
        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid2)).Value;

        host.Mdev.UnregisterParent(parent).Should().Be(Errno.None);
        host.Mdev.DeviceCount.Should().Be(0);
        host.IommuGroups.Count.Should().Be(0);
    }

    private sealed class CollidingVendor : TestVendor, IMdevDeviceAttributeGroups
    {
        public IReadOnlyList<AttributeGroup> DeviceAttributeGroups { get; } =
            [new AttributeGroup(null, [SysfsAttribute.Constant("remove", "clash\n")])];
    }

    private sealed class CollidingParentVendor : TestVendor, IMdevParentAttributeGroups
    {
        public IReadOnlyList<AttributeGroup> ParentAttributeGroups { get; } =
            [new AttributeGroup(null, [SysfsAttribute.Constant("vendor", "ok\n"), SysfsAttribute.Constant("uevent", "clash\n")])];
    }

    private sealed class ThrowingMdevDriver(string name) : IMdevDriver
    {
        public string Name => name;

        public Errno ProbeResult { get; set; }

        public bool ProbeThrows { get; set; }

        public bool RemoveThrows { get; set; }

        public Errno Probe(MdevDevice mdev) => ProbeThrows ? throw new InvalidOperationException("injected") : ProbeResult;

        public void Remove(MdevDevice mdev)
        {
            if (RemoveThrows)
            {
                throw new InvalidOperationException("injected");
            }
        }
    }
}
