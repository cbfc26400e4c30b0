using MdevCore.Mediated;
using MdevCore.Samples.Tests.Support;
using MdevCore.Sysfs;
using MdevCore.Vfio;

namespace MdevCore.Samples.Tests.Contract;

/// <summary>
/// What every sample vendor driver must do, whatever it emulates: a budget that available_instances reports
/// exactly, a refusal with the driver's errno when it is used up, nothing left behind by a failed create,
/// repeatable create/remove cycles, open/close/reopen, and reset. One subclass per sample.
/// </summary>
public abstract class SampleDriverContractTests
{
    /// <summary>The class/driver name and the type-directory prefix.</summary>
    protected abstract string Name { get; }

    /// <summary>What a create beyond the budget returns.</summary>
    protected abstract Errno ExhaustedErrno { get; }

    /// <summary>The whole budget in the driver's unit (ports, devices, megabytes).</summary>
    protected abstract int Budget { get; }

    protected abstract ushort VendorId { get; }

    protected abstract ushort DeviceId { get; }

    protected abstract uint RegionCount { get; }

    /// <summary>What a device of the type takes from the budget.</summary>
    protected abstract int CostOf(string sysfsName);

    /// <summary>Loads the sample into the host with its default options.</summary>
    protected abstract MdevParent Load(MdevHost host);

    /// <summary>Unloads the sample loaded by <see cref="Load"/>.</summary>
    protected abstract Errno Unload();

    /// <summary>Makes the sample's next creates fail after it took its budget (an allocation failure).</summary>
    protected abstract void FailAllocations(Errno fault);

    private static Result<int> CreateBySysfs(MdevHost host, MdevType type, string uuid) =>
        host.Sysfs.Write(type.SysfsPath + "/create", uuid + "\n");

    private static int Available(MdevHost host, MdevType type) =>
        int.Parse(host.Sysfs.ReadText(type.SysfsPath + "/available_instances").Value, System.Globalization.CultureInfo.InvariantCulture);

    private MdevType Cheapest(MdevParent parent) => parent.Types.MinBy(t => CostOf(t.Info.SysfsName))!;

    [Fact]
    public void Register_adds_the_class_device_and_one_vfio_pci_type_directory_per_type()
    {
        MdevHost host = Vmm.NewHost();
        MdevParent parent = Load(host);

        parent.Device.SysfsPath.Should().Be($"/sys/devices/virtual/{Name}/{Name}");
        host.Sysfs.ReadLink($"/sys/class/mdev_bus/{Name}").Succeeded.Should().BeTrue();
        foreach (MdevType type in parent.Types)
        {
            type.Id.Should().Be($"{Name}-{type.Info.SysfsName}");
            host.Sysfs.ReadText(type.SysfsPath + "/device_api").Value.Should().Be("vfio-pci\n");
            Available(host, type).Should().Be(Budget / CostOf(type.Info.SysfsName));
        }
    }

    [Fact]
    public void Available_instances_of_every_type_follow_the_budget_after_each_create()
    {
        MdevHost host = Vmm.NewHost();
        MdevParent parent = Load(host);
        int used = 0;
        int n = 1;
        foreach (MdevType created in parent.Types)
        {
            if (used + CostOf(created.Info.SysfsName) > Budget)
            {
                break;
            }

            CreateBySysfs(host, created, Vmm.Uuid(n++)).Succeeded.Should().BeTrue();
            used += CostOf(created.Info.SysfsName);
            foreach (MdevType type in parent.Types)
            {
                Available(host, type).Should().Be((Budget - used) / CostOf(type.Info.SysfsName), $"after creating a {created.Id}");
            }
        }
    }

    [Fact]
    public void Create_beyond_the_budget_returns_the_drivers_errno_and_leaves_the_tree_unchanged()
    {
        MdevHost host = Vmm.NewHost();
        MdevParent parent = Load(host);
        MdevType type = Cheapest(parent);
        int capacity = Available(host, type);
        for (int i = 0; i < capacity; i++)
        {
            CreateBySysfs(host, type, Vmm.Uuid(i + 1)).Succeeded.Should().BeTrue();
        }

        string before = SysfsTreeWriter.Write(host.Sysfs, "/sys");

        CreateBySysfs(host, type, Vmm.Uuid(999)).Error.Should().Be(ExhaustedErrno);

        SysfsTreeWriter.Write(host.Sysfs, "/sys").Should().Be(before);
        host.Mdev.DeviceCount.Should().Be(capacity);
        foreach (MdevType any in parent.Types)
        {
            Available(host, any).Should().Be(0);
        }
    }

    [Fact]
    public void An_allocation_failure_after_the_budget_was_taken_gives_it_back_and_leaves_nothing_behind()
    {
        MdevHost host = Vmm.NewHost();
        MdevParent parent = Load(host);
        MdevType type = parent.Types[^1];
        int available = Available(host, type);
        string before = SysfsTreeWriter.Write(host.Sysfs, "/sys");
        FailAllocations(Errno.ENOMEM);

        CreateBySysfs(host, type, Vmm.Uuid(1)).Error.Should().Be(Errno.ENOMEM);

        Available(host, type).Should().Be(available);
        SysfsTreeWriter.Write(host.Sysfs, "/sys").Should().Be(before);
        host.Mdev.TryGetDevice(Guid.Parse(Vmm.Uuid(1)), out _).Should().BeFalse("the UUID is free again");
        FailAllocations(Errno.None);
        CreateBySysfs(host, type, Vmm.Uuid(1)).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void A_duplicate_uuid_returns_EEXIST_and_takes_nothing_from_the_budget()
    {
        MdevHost host = Vmm.NewHost();
        MdevParent parent = Load(host);
        MdevType type = Cheapest(parent);
        CreateBySysfs(host, type, Vmm.Uuid(1)).Succeeded.Should().BeTrue();
        int available = Available(host, type);

        CreateBySysfs(host, type, Vmm.Uuid(1)).Error.Should().Be(Errno.EEXIST);

        Available(host, type).Should().Be(available);
    }

    [Fact]
    public void Create_remove_cycles_through_sysfs_always_restore_the_whole_budget()
    {
        MdevHost host = Vmm.NewHost();
        MdevParent parent = Load(host);
        MdevType type = Cheapest(parent);
        int capacity = Available(host, type);
        for (int cycle = 0; cycle < 3; cycle++)
        {
            for (int i = 0; i < capacity; i++)
            {
                CreateBySysfs(host, type, Vmm.Uuid(i + 1)).Succeeded.Should().BeTrue();
            }

            Available(host, type).Should().Be(0);
            for (int i = 0; i < capacity; i++)
            {
                host.Sysfs.Write($"/sys/bus/mdev/devices/{Vmm.Uuid(i + 1)}/remove", "1\n").Succeeded.Should().BeTrue();
            }

            Available(host, type).Should().Be(capacity, $"cycle {cycle}");
            host.Mdev.DeviceCount.Should().Be(0);
        }
    }

    [Fact]
    public void Unloading_removes_every_device_and_a_reload_starts_with_the_whole_budget()
    {
        MdevHost host = Vmm.NewHost();
        MdevParent parent = Load(host);
        MdevType type = Cheapest(parent);
        int capacity = Available(host, type);
        CreateBySysfs(host, type, Vmm.Uuid(1)).Succeeded.Should().BeTrue();
        CreateBySysfs(host, type, Vmm.Uuid(2)).Succeeded.Should().BeTrue();

        Unload().Should().Be(Errno.None);

        host.Mdev.DeviceCount.Should().Be(0);
        host.Sysfs.Exists($"/sys/devices/virtual/{Name}/{Name}").Should().BeFalse();
        Unload().Should().Be(Errno.ENODEV);
        MdevParent again = Load(host);
        Available(host, again.Types.MinBy(t => CostOf(t.Info.SysfsName))!).Should().Be(capacity);
    }

    [Fact]
    public void A_vmm_opens_closes_and_reopens_the_device_and_reads_its_pci_identity()
    {
        MdevHost host = Vmm.NewHost();
        MdevParent parent = Load(host);
        using var vmm = Vmm.Start(host, parent.Types[0], Vmm.Uuid(1));

        VfioDeviceInfo info = vmm.Client.GetInfo().Value;
        info.Flags.Should().Be(VfioFlags.DevicePci);
        info.NumRegions.Should().Be(RegionCount);
        info.NumIrqs.Should().Be(VfioFlags.PciNumIrqs);
        vmm.Region(VfioFlags.PciConfigRegionIndex).Size.Should().Be(0xff);
        vmm.Config32(0).Should().Be((uint)DeviceId << 16 | VendorId);
        vmm.Device.Device.OpenCount.Should().Be(1);

        vmm.Reopen(Vmm.Uuid(1));

        vmm.Device.Device.OpenCount.Should().Be(1);
        vmm.Config32(0).Should().Be((uint)DeviceId << 16 | VendorId);
    }

    [Fact]
    public void Reset_succeeds_and_the_device_keeps_answering()
    {
        MdevHost host = Vmm.NewHost();
        MdevParent parent = Load(host);
        using var vmm = Vmm.Start(host, parent.Types[0], Vmm.Uuid(1));

        vmm.Client.Reset().Should().Be(Errno.None);

        vmm.Config32(0).Should().Be((uint)DeviceId << 16 | VendorId);
        vmm.Client.GetRegionInfo(VfioFlags.PciConfigRegionIndex).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Unknown_ioctls_return_ENOTTY_and_a_short_argsz_EINVAL()
    {
        MdevHost host = Vmm.NewHost();
        MdevParent parent = Load(host);
        using var vmm = Vmm.Start(host, parent.Types[0], Vmm.Uuid(1));

        vmm.Device.Ioctl(0x3B99, new byte[16]).Error.Should().Be(Errno.ENOTTY);
        byte[] shortInfo = new byte[16];
        shortInfo[0] = 8;
        vmm.Device.Ioctl(VfioIoctls.DeviceGetInfo, shortInfo).Error.Should().Be(Errno.EINVAL);
    }

    [Fact]
    public void Accesses_outside_every_region_return_EFAULT()
    {
        MdevHost host = Vmm.NewHost();
        MdevParent parent = Load(host);
        using var vmm = Vmm.Start(host, parent.Types[0], Vmm.Uuid(1));

        vmm.Device.Read(new byte[4], 8L << 40).Error.Should().Be(Errno.EFAULT);
        vmm.Device.Write(new byte[4], 8L << 40).Error.Should().Be(Errno.EFAULT);
    }
}
