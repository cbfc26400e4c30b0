using MdevCore.Mediated;
using MdevCore.Reliability.Faults;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.Mediated;

/// <summary>A vendor callback that throws becomes an errno, with state unwound as if it had returned that errno.</summary>
public sealed class VendorFaultTests
{
    private static readonly Guid Uuid = Guid.Parse(TestHosts.Uuid1);

    private static (MdevHost Host, MdevParent Parent, MdevDevice Mdev, FaultyVendor Vendor) Setup(FaultyVendor? vendor = null, TimeSpan? removeWait = null)
    {
        var host = new MdevHost(new MdevHostOptions { RemoveWaitTimeout = removeWait ?? TimeSpan.FromSeconds(30) });
        vendor ??= new FaultyVendor();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), vendor);
        MdevDevice mdev = host.Mdev.CreateDevice(parent.Types[0], Uuid).Value;
        return (host, parent, mdev, vendor);
    }

    private static void AssertAtRest(MdevHost host, MdevParent parent)
    {
        host.Mdev.DeviceCount.Should().Be(0);
        host.IommuGroups.Count.Should().Be(0);
        parent.Types[0].AvailableInstances.Should().Be(4);
        host.Sysfs.Exists("/sys/bus/mdev/devices/" + TestHosts.Uuid1).Should().BeFalse();
    }

    [Fact]
    public void Open_that_throws_returns_EIO_and_the_device_can_still_be_removed()
    {
        var (host, parent, mdev, vendor) = Setup();
        vendor.Plan = new FaultPlan("Open", 1, FaultKind.Throw);

        mdev.Open().Error.Should().Be(Errno.EIO);

        mdev.OpenCount.Should().Be(0, "a failed open leaves no count behind");
        Task<Errno> remove = Task.Run(() => host.Mdev.RemoveDevice(mdev));
        remove.Wait(TimeSpan.FromSeconds(20)).Should().BeTrue("remove must not wait for an open that never happened");
        remove.Result.Should().Be(Errno.None);
        AssertAtRest(host, parent);
        host.Mdev.UnregisterParent(parent).Should().Be(Errno.None);
    }

    [Fact]
    public void Release_that_throws_still_closes_the_handle_and_drops_its_reference()
    {
        var (host, parent, mdev, vendor) = Setup();
        int refs = mdev.ReferenceCount;
        MdevDeviceHandle handle = mdev.Open().Value;
        vendor.Plan = new FaultPlan("Release", 1, FaultKind.Throw);

        handle.Invoking(h => h.Dispose()).Should().NotThrow();

        handle.IsClosed.Should().BeTrue();
        mdev.OpenCount.Should().Be(0);
        mdev.ReferenceCount.Should().Be(refs);
        Task<Errno> remove = Task.Run(() => host.Mdev.RemoveDevice(mdev));
        remove.Wait(TimeSpan.FromSeconds(20)).Should().BeTrue();
        AssertAtRest(host, parent);
    }

    [Fact]
    public void Remove_wait_timeout_revokes_open_handles_so_nothing_stays_listed()
    {
        var (host, parent, mdev, vendor) = Setup(removeWait: TimeSpan.FromMilliseconds(200));
        MdevDeviceHandle handle = mdev.Open().Value;

        host.Mdev.RemoveDevice(mdev).Should().Be(Errno.None);

        vendor.Calls("Release").Should().Be(1, "the revoked open reaches the vendor's release once");
        handle.IsClosed.Should().BeTrue();
        handle.Read(new byte[4], 0).Error.Should().Be(Errno.ENODEV);
        AssertAtRest(host, parent);
        host.Mdev.CreateDevice(parent.Types[0], Uuid).Succeeded.Should().BeTrue("the UUID is free again");
        handle.Dispose();
        vendor.Calls("Release").Should().Be(1);
    }

    [Theory]
    [InlineData("Read")]
    [InlineData("Write")]
    [InlineData("Ioctl")]
    [InlineData("Mmap")]
    public void Device_file_callback_that_throws_returns_EIO(string callback)
    {
        var (host, parent, mdev, vendor) = Setup();
        using MdevDeviceHandle handle = mdev.Open().Value;
        vendor.Plan = new FaultPlan(callback, 1, FaultKind.Throw);
        byte[] buffer = new byte[8];

        Errno error = callback switch
        {
            "Read" => handle.Read(buffer, 0).Error,
            "Write" => handle.Write(buffer, 0).Error,
            "Ioctl" => handle.Ioctl(MdevCore.Vfio.VfioIoctls.DeviceReset, []).Error,
            _ => handle.Mmap(0, 4096).Error,
        };

        error.Should().Be(Errno.EIO);
        vendor.Fired.Should().Be(1);
        handle.Read(buffer, 0).Succeeded.Should().BeTrue("the handle keeps working after one fault");
        mdev.OpenCount.Should().Be(1);
        host.Mdev.DeviceCount.Should().Be(1);
        parent.IsRegistered.Should().BeTrue();
    }

    [Theory]
    [InlineData("show", "/faulty_vendor/state", false)]
    [InlineData("store", "/faulty_vendor/state", true)]
    public void Vendor_attribute_callback_that_throws_returns_EIO(string callback, string file, bool write)
    {
        var (host, _, mdev, vendor) = Setup();
        vendor.Plan = new FaultPlan(callback, 1, FaultKind.Throw);
        string path = mdev.SysfsPath + file;

        Errno error = write ? host.Sysfs.Write(path, "1").Error : host.Sysfs.ReadText(path).Error;

        error.Should().Be(Errno.EIO);
        (write ? host.Sysfs.Write(path, "1").Error : host.Sysfs.ReadText(path).Error).Should().Be(Errno.None);
    }

    [Fact]
    public void Description_that_throws_reads_as_EIO()
    {
        var (host, parent, _, vendor) = Setup();
        vendor.Plan = new FaultPlan("GetDescription", 1, FaultKind.Throw);

        host.Sysfs.ReadText(parent.Types[0].Path("description")).Error.Should().Be(Errno.EIO);
        host.Sysfs.ReadText(parent.Types[0].Path("description")).Value.Should().Be("faulty type\n");
    }

    [Fact]
    public void Available_instances_that_throws_reads_as_EIO_in_sysfs_and_the_api()
    {
        var (host, parent, _, vendor) = Setup(new FaultyCountingVendor(KernelProfile.Modern));
        vendor.Plan = new FaultPlan("GetAvailableInstances", 1, FaultKind.Throw);

        host.Sysfs.ReadText(parent.Types[0].Path("available_instances")).Error.Should().Be(Errno.EIO);
        vendor.Plan = new FaultPlan("GetAvailableInstances", 2, FaultKind.Throw);
        parent.Types[0].GetAvailableInstances().Error.Should().Be(Errno.EIO);
        parent.Types[0].GetAvailableInstances().Value.Should().Be(3);
    }

    [Fact]
    public void Open_of_an_mdev_unbound_from_its_driver_returns_ENODEV_without_reaching_the_vendor()
    {
        var (host, _, mdev, vendor) = Setup();
        host.DeviceModel.Unbind(mdev).Should().Be(Errno.None);
        vendor.Calls("Remove").Should().Be(1);

        mdev.Open().Error.Should().Be(Errno.ENODEV);

        vendor.Calls("Open").Should().Be(0);
        mdev.OpenCount.Should().Be(0);
        host.DeviceModel.Bind(mdev, mdev.MdevParent.Driver!).Should().Be(Errno.ENODEV, "6.x mdev_match matches nothing: only the core attaches");
        host.Mdev.RemoveDevice(mdev).Should().Be(Errno.None);
        host.Mdev.DeviceCount.Should().Be(0);
    }

    [Fact]
    public void Unbind_waits_for_open_handles_and_blocks_new_opens()
    {
        var (host, _, mdev, vendor) = Setup();
        MdevDeviceHandle handle = mdev.Open().Value;
        Task<Errno> unbind = Task.Run(() => host.DeviceModel.Unbind(mdev));
        SpinWait.SpinUntil(() => OpenFails(mdev), TimeSpan.FromSeconds(20)).Should().BeTrue();
        unbind.IsCompleted.Should().BeFalse("unbind waits until the device is closed");
        vendor.Calls("Remove").Should().Be(0, "the vendor's remove must not run under an open handle");

        handle.Dispose();

        unbind.Wait(TimeSpan.FromSeconds(20)).Should().BeTrue();
        unbind.Result.Should().Be(Errno.None);
        vendor.Calls("Remove").Should().Be(1);
    }

    private static bool OpenFails(MdevDevice mdev)
    {
        Result<MdevDeviceHandle> open = mdev.Open();
        if (open.TryGetValue(out MdevDeviceHandle? handle))
        {
            handle.Dispose();
        }

        return open.Error == Errno.ENODEV;
    }

    [Fact]
    public void Open_that_removes_its_own_device_returns_ENODEV_under_a_finite_remove_wait()
    {
        var vendor = new FaultyVendor();
        var (host, parent, mdev, _) = Setup(vendor, TimeSpan.FromMilliseconds(200));
        vendor.OnCall = (name, m) =>
        {
            if (name == "Open")
            {
                host.Mdev.RemoveDevice(m!).Should().Be(Errno.None);
            }
        };

        Result<MdevDeviceHandle> open = mdev.Open();

        open.Error.Should().Be(Errno.ENODEV);
        vendor.Calls("Release").Should().Be(1, "the vendor's successful open is undone");
        mdev.OpenCount.Should().Be(0);
        AssertAtRest(host, parent);
    }
}
