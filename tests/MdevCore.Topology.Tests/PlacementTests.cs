namespace MdevCore.Topology.Tests;

/// <summary>Where each example's parent sits, checked against the kernel's placement for that kind of machine.</summary>
public sealed class PlacementTests
{
    private const string Uuid = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001";

    [Fact]
    public void VfioAp_matrix_is_a_child_of_the_vfio_ap_root_device_on_the_matrix_bus_bound_to_vfio_ap()
    {
        // vfio_ap_drv.c, vfio_ap_matrix_dev_create: root_device_register("vfio_ap"), bus_register(&matrix_bus),
        // device "matrix" with parent the root device and bus matrix_bus, then driver_register of "vfio_ap" on it.
        MdevHost host = TopologyLoader.LoadFile(Examples.File("vfio-ap.json")).Build();

        host.Sysfs.Exists("/sys/devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/create").Should().BeTrue();
        host.Sysfs.Exists("/sys/devices/virtual/vfio_ap").Should().BeFalse("the matrix is not a class device");
        host.Sysfs.ReadLink("/sys/devices/vfio_ap/matrix/subsystem").Value.Should().Be("../../../bus/matrix");
        host.Sysfs.ReadLink("/sys/bus/matrix/devices/matrix").Value.Should().Be("../../../devices/vfio_ap/matrix");
        host.Sysfs.ReadLink("/sys/devices/vfio_ap/matrix/driver").Value.Should().Be("../../../bus/matrix/drivers/vfio_ap");
        host.Sysfs.ReadLink("/sys/class/mdev_bus/matrix").Value.Should().Be("../../devices/vfio_ap/matrix");
        host.Sysfs.ReadText("/sys/class/mdev_bus/matrix/mdev_supported_types/vfio_ap-passthrough/available_instances").Value.Should().Be("65536\n");
    }

    [Fact]
    public void VfioAp_mdevs_are_bound_to_the_vfio_ap_mdev_driver_with_the_kernel_attribute_modes()
    {
        MdevHost host = TopologyLoader.LoadFile(Examples.File("vfio-ap.json")).Build();

        host.Sysfs.Write("/sys/devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/create", Uuid).Succeeded.Should().BeTrue();

        string dev = "/sys/bus/mdev/devices/" + Uuid;
        host.Sysfs.ReadLink(dev + "/driver").Value.Should().Be("../../../../bus/mdev/drivers/vfio_ap_mdev");
        host.Sysfs.Stat(dev + "/assign_adapter").Value.Mode.Should().Be(Sysfs.SysfsAttribute.Modes.WriteOnly);
        host.Sysfs.Stat(dev + "/matrix").Value.Mode.Should().Be(Sysfs.SysfsAttribute.Modes.ReadOnly);
    }

    [Theory]
    [InlineData("gvtg.json", "0000:00:02.0", "../../devices/pci0000:00/0000:00:02.0", "intel_vgpu_mdev")]
    [InlineData("nvidia-vgpu.json", "0000:41:00.0", "../../devices/pci0000:41/0000:41:00.0", "nvidia")]
    [InlineData("vfio-ccw.json", "0.0.0313", "../../devices/css0/0.0.0313", "vfio_ccw_mdev")]
    [InlineData("mtty.json", "mtty", "../../devices/virtual/mtty/mtty", "mtty")]
    public void Example_parents_sit_where_the_kernel_puts_them(string file, string parent, string link, string mdevDriver)
    {
        MdevHost host = TopologyLoader.LoadFile(Examples.File(file)).Build();

        host.Sysfs.ReadLink("/sys/class/mdev_bus/" + parent).Value.Should().Be(link);
        host.Sysfs.Exists("/sys/bus/mdev/drivers/" + mdevDriver).Should().BeTrue();
    }
}
