using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.DriverModel;

/// <summary>device_del runs once per device, whoever races it.</summary>
public sealed class DeleteDeviceTests
{
    [Fact]
    public void Two_concurrent_deletes_of_one_device_delete_it_once()
    {
        MdevHost host = TestHosts.Create();
        for (int round = 0; round < 2000; round++)
        {
            Device device = host.DeviceModel.AddPlatformDevice("victim").Value;
            _ = host.UEvents.Drain();
            var results = new Errno[2];
            using var go = new Barrier(2);
            Parallel.For(0, 2, i =>
            {
                go.SignalAndWait();
                results[i] = host.DeviceModel.DeleteDevice(device);
            });

            results.Should().BeEquivalentTo([Errno.None, Errno.ENODEV]);
            host.UEvents.Drain().Where(e => e.Action == UEventAction.Remove).Should().HaveCount(1);
            device.ReferenceCount.Should().Be(0);
        }
    }

    [Fact]
    public void Deleting_an_mdev_through_the_driver_core_returns_EBUSY()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor());
        MdevDevice mdev = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;

        host.DeviceModel.DeleteDevice(mdev).Should().Be(Errno.EBUSY, "an mdev goes through its remove file, not device_unregister");

        mdev.IsRegistered.Should().BeTrue();
        host.Mdev.RemoveDevice(mdev).Should().Be(Errno.None);
        host.Mdev.DeviceCount.Should().Be(0);
    }

    [Fact]
    public void A_child_added_while_its_parent_is_deleted_is_refused_or_keeps_the_parent()
    {
        MdevHost host = TestHosts.Create();
        for (int round = 0; round < 1000; round++)
        {
            Device css = host.DeviceModel.AddRootDevice("css0").Value;
            Result<Device> child = default;
            Errno deleted = Errno.None;
            using var go = new Barrier(2);
            Parallel.Invoke(
                () =>
                {
                    go.SignalAndWait();
                    child = host.DeviceModel.AddChildDevice(css, "0.0.0001");
                },
                () =>
                {
                    go.SignalAndWait();
                    deleted = host.DeviceModel.DeleteDevice(css);
                });

            if (child.Succeeded)
            {
                deleted.Should().Be(Errno.EBUSY);
                host.DeviceModel.DeleteDevice(child.Value).Should().Be(Errno.None);
                host.DeviceModel.DeleteDevice(css).Should().Be(Errno.None);
            }
            else
            {
                child.Error.Should().BeOneOf(Errno.ENODEV, Errno.ENOENT);
                deleted.Should().Be(Errno.None);
            }

            host.Sysfs.Exists("/sys/devices/css0").Should().BeFalse();
        }
    }
}
