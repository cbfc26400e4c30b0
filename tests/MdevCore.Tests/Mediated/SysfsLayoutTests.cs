using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Sysfs;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.Mediated;

/// <summary>kernel-mdev.md §4 and §11 items 9, 11 and 12.</summary>
public sealed class SysfsLayoutTests
{
    [Fact]
    public void Type_directory_has_the_five_core_attributes_with_exact_contents_and_modes()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new DescribingVendor(new MdevTypeInfo("GVTg_V5_4", "vfio-pci", "GVTg_V5_4 pretty")), maxInstances: 7);
        string dir = parent.Types[0].SysfsPath;

        dir.Should().Be("/sys/devices/pci0000:00/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_4");
        host.Sysfs.List(dir).Value.Should().Equal("available_instances", "create", "description", "device_api", "devices", "name");
        host.Sysfs.ReadText(dir + "/name").Value.Should().Be("GVTg_V5_4 pretty\n");
        host.Sysfs.ReadText(dir + "/device_api").Value.Should().Be("vfio-pci\n");
        host.Sysfs.ReadText(dir + "/available_instances").Value.Should().Be("7\n");
        host.Sysfs.ReadText(dir + "/description").Value.Should().Be("test type GVTg_V5_4\n");
        host.Sysfs.Stat(dir + "/create").Value.Mode.Should().Be(SysfsAttribute.Modes.WriteOnly);
        host.Sysfs.Stat(dir + "/name").Value.Mode.Should().Be(SysfsAttribute.Modes.ReadOnly);
        host.Sysfs.Stat(dir + "/devices").Value.Should().Be(new SysfsStat(SysfsNodeKind.Directory, SysfsAttribute.Modes.Directory, 0));
    }

    [Fact]
    public void Name_shows_the_sysfs_name_without_a_pretty_name_and_description_is_absent_without_a_callback()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor(new MdevTypeInfo("io", "vfio-ccw")));
        host.Sysfs.ReadText(parent.Types[0].Path("name")).Value.Should().Be("io\n");
        host.Sysfs.ReadText(parent.Types[0].Path("device_api")).Value.Should().Be("vfio-ccw\n");
        host.Sysfs.Exists(parent.Types[0].Path("description")).Should().BeFalse();
    }

    [Fact]
    public void Reading_create_or_remove_fails_with_EACCES_at_open()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor());
        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        host.Sysfs.Open(parent.Types[0].Path("create"), SysfsAccess.Read).Error.Should().Be(Errno.EACCES);
        host.Sysfs.ReadText($"/sys/bus/mdev/devices/{TestHosts.Uuid1}/remove").Error.Should().Be(Errno.EACCES);
        host.Sysfs.Open(parent.Types[0].Path("name"), SysfsAccess.Write).Error.Should().Be(Errno.EACCES);
        host.Sysfs.Write(parent.Types[0].Path("available_instances"), "3").Error.Should().Be(Errno.EACCES);
    }

    [Fact]
    public void Device_links_are_relative_and_computed_from_a_pci_parent_path()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor());
        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        string dev = "/sys/devices/pci0000:00/0000:00:02.0/" + TestHosts.Uuid1;

        host.Sysfs.List(dev).Value.Should().Equal("driver", "iommu_group", "mdev_type", "remove", "subsystem", "uevent");
        host.Sysfs.ReadLink(dev + "/driver").Value.Should().Be("../../../../bus/mdev/drivers/i915");
        host.Sysfs.ReadLink(dev + "/subsystem").Value.Should().Be("../../../../bus/mdev");
        host.Sysfs.ReadLink(dev + "/iommu_group").Value.Should().Be("../../../../kernel/iommu_groups/0");
        host.Sysfs.ReadLink(dev + "/mdev_type").Value.Should().Be("../mdev_supported_types/i915-1");
        host.Sysfs.ReadLink("/sys/bus/mdev/devices/" + TestHosts.Uuid1).Value.Should().Be("../../../devices/pci0000:00/0000:00:02.0/" + TestHosts.Uuid1);
        host.Sysfs.ReadLink("/sys/bus/mdev/drivers/i915/" + TestHosts.Uuid1).Value.Should().Be("../../../../devices/pci0000:00/0000:00:02.0/" + TestHosts.Uuid1);
        host.Sysfs.ReadLink(parent.Types[0].Path("devices/" + TestHosts.Uuid1)).Value.Should().Be("../../../" + TestHosts.Uuid1);
        host.Sysfs.ReadText(dev + "/uevent").Value.Should().Be("DRIVER=i915\n");
        host.Sysfs.ReadLink("/sys/bus/pci/devices/0000:00:02.0").Value.Should().Be("../../../devices/pci0000:00/0000:00:02.0");
    }

    [Fact]
    public void Device_links_for_a_virtual_parent()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddVirtual(host), new TestVendor());
        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        string dev = "/sys/devices/virtual/mtty/mtty/" + TestHosts.Uuid1;
        parent.Types[0].Id.Should().Be("mtty-1");
        host.Sysfs.ReadLink(dev + "/driver").Value.Should().Be("../../../../../bus/mdev/drivers/mtty");
        host.Sysfs.ReadLink("/sys/class/mdev_bus/mtty").Value.Should().Be("../../devices/virtual/mtty/mtty");
        host.Sysfs.ReadLink("/sys/class/mtty/mtty").Value.Should().Be("../../devices/virtual/mtty/mtty");
    }

    [Fact]
    public void At_add_the_remove_file_exists_but_mdev_type_and_the_type_link_do_not_and_at_bind_the_driver_link_exists()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new DescribingVendor());
        string dev = "/sys/bus/mdev/devices/" + TestHosts.Uuid1;
        var seen = new List<string>();
        using IDisposable subscription = host.UEvents.Subscribe(e =>
        {
            if (e.Subsystem != "mdev")
            {
                return;
            }

            seen.Add($"{e.Action.ToKernelString()}: remove={host.Sysfs.Exists(dev + "/remove")} mdev_type={host.Sysfs.Exists(dev + "/mdev_type")} " +
                $"typelink={host.Sysfs.Exists(parent.Types[0].Path("devices/" + TestHosts.Uuid1))} driver={host.Sysfs.Exists(dev + "/driver")} " +
                $"vendor={host.Sysfs.Exists(dev + "/vendor/sample_mdev_dev")}");
        });

        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;

        seen.Should().Equal(
            "add: remove=True mdev_type=False typelink=False driver=False vendor=False",
            "bind: remove=True mdev_type=False typelink=False driver=True vendor=True");
        host.Sysfs.ReadText(dev + "/vendor/sample_mdev_dev").Value.Should().Be($"This is MDEV {TestHosts.Uuid1}\n");
    }

    [Fact]
    public void Seed_vendor_attributes_exist_at_add()
    {
        MdevHost host = TestHosts.Create(KernelProfile.Seed);
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new DescribingVendor());
        bool vendorAtAdd = false;
        using IDisposable subscription = host.UEvents.Subscribe(e =>
        {
            if (e.Action == UEventAction.Add && e.Subsystem == "mdev")
            {
                vendorAtAdd = host.Sysfs.Exists($"/sys/bus/mdev/devices/{TestHosts.Uuid1}/vendor/sample_mdev_dev");
            }
        });
        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        vendorAtAdd.Should().BeTrue();
    }

    [Fact]
    public void Create_sends_add_then_bind_with_mdev_subsystem_and_no_modalias()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor());
        _ = host.UEvents.Drain();
        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        IReadOnlyList<UEvent> events = host.UEvents.Drain();
        events.Select(e => e.ToString()).Should().Equal(
            $"ACTION=add\nDEVPATH=/devices/pci0000:00/0000:00:02.0/{TestHosts.Uuid1}\nSUBSYSTEM=mdev\nSEQNUM={events[0].SequenceNumber}\n",
            $"ACTION=bind\nDEVPATH=/devices/pci0000:00/0000:00:02.0/{TestHosts.Uuid1}\nSUBSYSTEM=mdev\nDRIVER=i915\nSEQNUM={events[0].SequenceNumber + 1}\n");
    }

    [Fact]
    public void Unbinding_the_driver_keeps_the_device_and_bind_returns_ENODEV_but_remove_works()
    {
        MdevHost host = TestHosts.Create();
        var vendor = new TestVendor();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), vendor);
        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;

        host.Sysfs.Write("/sys/bus/mdev/drivers/i915/unbind", TestHosts.Uuid1 + "\n").Succeeded.Should().BeTrue();
        vendor.Calls.Should().Contain("remove " + TestHosts.Uuid1);
        host.Sysfs.Exists($"/sys/bus/mdev/devices/{TestHosts.Uuid1}/driver").Should().BeFalse();
        host.Sysfs.Exists($"/sys/bus/mdev/devices/{TestHosts.Uuid1}/iommu_group").Should().BeFalse();
        host.Sysfs.ReadText($"/sys/bus/mdev/devices/{TestHosts.Uuid1}/uevent").Value.Should().Be(string.Empty);

        host.Sysfs.Write("/sys/bus/mdev/drivers/i915/bind", TestHosts.Uuid1).Error.Should().Be(Errno.ENODEV);
        host.Sysfs.Write($"/sys/bus/mdev/devices/{TestHosts.Uuid1}/remove", "1").Succeeded.Should().BeTrue();
        host.Mdev.DeviceCount.Should().Be(0);
    }

    [Fact]
    public void Seed_bus_driver_registered_later_binds_every_unbound_mdev()
    {
        MdevHost host = TestHosts.Create(KernelProfile.Seed);
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor());
        MdevDevice mdev = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        mdev.Driver.Should().BeNull();
        var driver = new RecordingMdevDriver("vfio_mdev");
        _ = host.Mdev.RegisterDriver(driver).Value;
        mdev.Driver!.Name.Should().Be("vfio_mdev");
        driver.Probed.Should().Equal(TestHosts.Uuid1);
        host.Sysfs.ReadLink(mdev.SysfsPath + "/iommu_group").Value.Should().Be("../../../../kernel/iommu_groups/0");
        host.Sysfs.Exists("/sys/kernel/iommu_groups/0/name").Should().BeFalse("the seed's groups had no name");
    }

    [Fact]
    public void Modern_bus_driver_registered_later_binds_nothing_and_a_duplicate_name_returns_EBUSY()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor());
        _ = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        var driver = new RecordingMdevDriver("vfio_mdev");
        _ = host.Mdev.RegisterDriver(driver).Value;
        driver.Probed.Should().BeEmpty();
        host.Mdev.RegisterDriver(new RecordingMdevDriver("vfio_mdev")).Error.Should().Be(Errno.EBUSY);
        host.Mdev.RegisterDriver(new RecordingMdevDriver("i915")).Error.Should().Be(Errno.EBUSY);
    }

    [Fact]
    public void Explicit_driver_probes_after_the_vendor_and_its_failure_unwinds_the_vendor()
    {
        MdevHost host = TestHosts.Create();
        var driver = new RecordingMdevDriver("vfio_mdev") { ProbeResult = Errno.ENOMEM };
        DeviceDriver registered = host.Mdev.RegisterDriver(driver).Value;
        var vendor = new TestVendor();
        MdevParent parent = host.Mdev.RegisterParent(TestHosts.AddGpu(host), vendor, new MdevParentOptions { MaxInstances = 2, Driver = registered }).Value;

        host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Error.Should().Be(Errno.ENOMEM);
        vendor.Calls.Should().Equal("create " + TestHosts.Uuid1, "remove " + TestHosts.Uuid1);
        host.IommuGroups.Count.Should().Be(0);
        parent.Types[0].AvailableInstances.Should().Be(2);

        driver.ProbeResult = Errno.None;
        MdevDevice mdev = host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Value;
        mdev.Driver.Should().BeSameAs(registered);
    }
}

internal sealed class RecordingMdevDriver(string name) : IMdevDriver
{
    public string Name => name;

    public Errno ProbeResult { get; set; }

    public List<string> Probed { get; } = [];

    public Errno Probe(MdevDevice mdev)
    {
        Probed.Add(mdev.Name);
        return ProbeResult;
    }

    public void Remove(MdevDevice mdev)
    {
    }
}
