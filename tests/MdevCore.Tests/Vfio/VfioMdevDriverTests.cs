using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Tests.Support;
using MdevCore.Vfio;

namespace MdevCore.Tests.Vfio;

public sealed class VfioMdevDriverTests
{
    [Fact]
    public void Seed_vfio_mdev_binds_new_devices_and_a_vmm_reaches_them_through_the_group()
    {
        MdevHost host = TestHosts.Create(KernelProfile.Seed);
        var driver = new VfioMdevDriver();
        _ = host.Mdev.RegisterDriver(driver).Value;
        var vendor = new VfioTestVendor();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), vendor);
        _ = host.UEvents.Drain();

        host.Sysfs.Write(parent.Types[0].Path("create"), TestHosts.Uuid1).Succeeded.Should().BeTrue();

        host.UEvents.Drain().Select(e => $"{e.Action.ToKernelString()} {e["DRIVER"]}".Trim()).Should().Equal("add", "bind vfio_mdev");
        host.Sysfs.ReadLink($"/sys/bus/mdev/devices/{TestHosts.Uuid1}/driver").Value.Should().Be("../../../../bus/mdev/drivers/vfio_mdev");
        driver.BoundCount.Should().Be(1);

        using VfioGroup group = host.Vfio.OpenGroup(0).Value;
        VfioContainer container = VfioHost.CreateContainer();
        _ = group.SetContainer(container);
        _ = container.SetIommu(VfioIommuType.Type1);
        using (MdevDeviceHandle device = group.GetDevice(TestHosts.Uuid1).Value)
        {
            new VfioDeviceClient(device).GetInfo().Value.NumRegions.Should().Be(9);
        }

        host.Mdev.RemoveDevice(Guid.Parse(TestHosts.Uuid1)).Should().Be(Errno.None);
        driver.BoundCount.Should().Be(0);
    }

    [Fact]
    public void Seed_vendor_vetoes_removal_of_an_open_device_with_EBUSY()
    {
        MdevHost host = TestHosts.Create(KernelProfile.Seed);
        _ = host.Mdev.RegisterDriver(new VfioMdevDriver()).Value;
        var vendor = new TestVendor();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), vendor);
        MdevDevice mdev = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        vendor.OnRemove = m => m.OpenCount > 0 ? Errno.EBUSY : Errno.None;
        MdevDeviceHandle handle = mdev.Open().Value;

        host.Mdev.RemoveDevice(mdev).Should().Be(Errno.EBUSY);
        handle.Dispose();
        host.Mdev.RemoveDevice(mdev).Should().Be(Errno.None);
    }
}
