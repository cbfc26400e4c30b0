using MdevCore.Sysfs;

namespace MdevCore.Topology.Tests;

public sealed class TopologyLoaderTests
{
    private const string Gpu = """
        { "parents": [ { "pci": { "address": "0000:00:02.0" }, "driver": "i915",
            "types": [ { "name": "GVTg_V5_4", "device_api": "vfio-pci", "max_instances": 2 } ] } ] }
        """;

    private static TopologyException Bad(string json) =>
        FluentActions.Invoking(() => TopologyLoader.Parse(json, "bad.json")).Should().Throw<TopologyException>().Which;

    [Theory]
    [InlineData("mtty.json")]
    [InlineData("gvtg.json")]
    [InlineData("nvidia-vgpu.json")]
    [InlineData("vfio-ap.json")]
    [InlineData("samples.json")]
    [InlineData("vfio-ccw.json")]
    public void LoadFile_ShippedExample_BuildsAHostWithParents(string file)
    {
        HostTopology topology = TopologyLoader.LoadFile(Examples.File(file));

        MdevHost host = topology.Build();

        host.Mdev.GetParents().Should().HaveCount(topology.Parents.Count);
    }

    [Fact]
    public void LoadDefault_IsAnMttyLikeParentWithTwoTypes()
    {
        MdevHost host = TopologyLoader.LoadDefault().Build();

        host.Sysfs.ReadText("/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-1/name").Value.Should().Be("Single port serial\n");

        host.Sysfs.List("/sys/class/mdev_bus/mtty/mdev_supported_types").Value.Should().Equal("mtty-1", "mtty-2");
        host.Sysfs.ReadText("/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2/available_instances").Value.Should().Be("12\n");
    }

    [Fact]
    public void Build_PciParent_TypesArePrefixedWithTheBoundDriver()
    {
        MdevHost host = TopologyLoader.Parse(Gpu, "gpu.json").Build();

        host.Sysfs.ReadLink("/sys/class/mdev_bus/0000:00:02.0").Value.Should().Be("../../devices/pci0000:00/0000:00:02.0");
        host.Sysfs.Exists("/sys/devices/pci0000:00/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_4/create").Should().BeTrue();
    }

    [Fact]
    public void Parse_SyntaxError_NamesFileLineAndPath()
    {
        TopologyException e = Bad("{ \"parents\": [ { \"pci\": { \"address\": 0000 } } ] }");

        e.Message.Should().StartWith("bad.json: $.parents[0].pci.address: ").And.Contain("line 1");
    }

    [Fact]
    public void Parse_UnknownProperty_IsRejectedWithItsPath()
    {
        TopologyException e = Bad("""{ "parents": [ { "virtual": { "class": "mtty" }, "colour": "red", "types": [] } ] }""");

        e.JsonPath.Should().Be("$.parents[0].colour");
        e.Problem.Should().StartWith("unknown property \"colour\"; see docs/topology.md");
    }

    [Theory]
    [InlineData("\"max_instances\": \"2\"", "$.parents[0].types[0].max_instances", "an integer")]
    [InlineData("\"max_instances\": 2, \"description\": 5", "$.parents[0].types[0].description", "a string")]
    public void Parse_WrongJsonType_SaysWhatWasExpected(string fields, string path, string expected)
    {
        TopologyException e = Bad($$"""{ "parents": [ { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "device_api": "vfio-pci", {{fields}} } ] } ] }""");

        e.JsonPath.Should().Be(path);
        e.Problem.Should().StartWith("wrong JSON type: expected " + expected + " (line 1, byte ");
    }

    [Fact]
    public void Parse_TypeWithoutDeviceApi_NamesTheMissingField()
    {
        TopologyException e = Bad("""{ "parents": [ { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "max_instances": 1 } ] } ] }""");

        e.Message.Should().Be("bad.json: $.parents[0].types[0].device_api: required: \"vfio-pci\", \"vfio-ccw\", \"vfio-ap\", ...");
    }

    [Fact]
    public void Parse_TwoLocations_IsRejected()
    {
        TopologyException e = Bad("""{ "parents": [ { "virtual": { "class": "mtty" }, "platform": { "name": "x" }, "types": [] } ] }""");

        e.JsonPath.Should().Be("$.parents[0]");
        e.Problem.Should().Contain("exactly one of");
    }

    [Fact]
    public void Parse_NoBudget_IsRejected()
    {
        TopologyException e = Bad("""{ "parents": [ { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "device_api": "vfio-pci" } ] } ] }""");

        e.JsonPath.Should().Be("$.parents[0].types[0]");
        e.Problem.Should().Contain("no instance budget");
    }

    [Theory]
    [InlineData("\"max_instances\": -1", "$.parents[0].types[0].max_instances")]
    [InlineData("\"max_instances\": 1, \"cost\": 0", "$.parents[0].types[0].cost")]
    [InlineData("\"max_instances\": 1, \"create_error\": \"EWHATEVER\"", "$.parents[0].types[0].create_error")]
    [InlineData("\"max_instances\": 1, \"create_error\": \"17\"", "$.parents[0].types[0].create_error")]
    public void Parse_BadTypeField_NamesIt(string fields, string path)
    {
        TopologyException e = Bad($$"""{ "parents": [ { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "device_api": "vfio-pci", {{fields}} } ] } ] }""");

        e.JsonPath.Should().Be(path);
    }

    [Fact]
    public void Parse_BadPciAddress_IsRejected()
    {
        TopologyException e = Bad(Gpu.Replace("0000:00:02.0", "00:02.0", StringComparison.Ordinal));

        e.JsonPath.Should().Be("$.parents[0].pci.address");
    }

    [Fact]
    public void Parse_DuplicateParentName_IsRejected()
    {
        string json = """
            { "parents": [
              { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "device_api": "vfio-pci", "max_instances": 1 } ] },
              { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "device_api": "vfio-pci", "max_instances": 1 } ] } ] }
            """;

        Bad(json).Message.Should().Be("bad.json: $.parents[1]: parent name \"mtty\" is already used by $.parents[0]");
    }

    [Fact]
    public void Parse_AttributeShadowingCoreFile_IsRejected()
    {
        TopologyException e = Bad("""
            { "parents": [ { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "device_api": "vfio-pci", "max_instances": 1 } ],
              "device_attributes": [ { "name": "remove", "access": "rw" } ] } ] }
            """);

        e.JsonPath.Should().Be("$.parents[0].device_attributes[0].name");
    }

    [Fact]
    public void Parse_AttributeForUnknownType_IsRejected()
    {
        TopologyException e = Bad("""
            { "parents": [ { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "device_api": "vfio-pci", "max_instances": 1 } ],
              "device_attributes": [ { "name": "a", "access": "rw", "types": [ "2" ] } ] } ] }
            """);

        e.JsonPath.Should().Be("$.parents[0].device_attributes[0].types[0]");
    }

    [Fact]
    public void LoadFile_Missing_NamesTheFile()
    {
        FluentActions.Invoking(() => TopologyLoader.LoadFile("/nonexistent/topology.json"))
            .Should().Throw<TopologyException>().Which.Message.Should().StartWith("/nonexistent/topology.json: $: cannot read the file");
    }

    [Fact]
    public void SharedBudget_CostsAreTakenFromOnePool()
    {
        MdevHost host = TopologyLoader.LoadFile(Examples.File("gvtg.json")).Build();
        string types = "/sys/class/mdev_bus/0000:00:02.0/mdev_supported_types/";

        host.Sysfs.Write(types + "i915-GVTg_V5_4/create", "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001").Succeeded.Should().BeTrue();

        host.Sysfs.ReadText(types + "i915-GVTg_V5_1/available_instances").Value.Should().Be("0\n");
        host.Sysfs.ReadText(types + "i915-GVTg_V5_4/available_instances").Value.Should().Be("3\n");
        host.Sysfs.ReadText(types + "i915-GVTg_V5_8/available_instances").Value.Should().Be("6\n");
    }

    [Fact]
    public void ZeroBudget_ShowsZeroAndRefusesCreateWithEnospc()
    {
        MdevHost host = TopologyLoader.Parse(Gpu.Replace("\"max_instances\": 2", "\"max_instances\": 0", StringComparison.Ordinal), "z.json").Build();
        string type = "/sys/class/mdev_bus/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_4/";

        host.Sysfs.ReadText(type + "available_instances").Value.Should().Be("0\n");
        host.Sysfs.Write(type + "create", "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001").Error.Should().Be(Errno.ENOSPC);
    }

    [Fact]
    public void CreateError_IsReturnedToTheWriter()
    {
        MdevHost host = TopologyLoader.Parse(Gpu.Replace("\"max_instances\": 2", "\"max_instances\": 2, \"create_error\": \"EBUSY\"", StringComparison.Ordinal), "e.json").Build();

        host.Sysfs.Write("/sys/class/mdev_bus/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_4/create", "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001")
            .Error.Should().Be(Errno.EBUSY);
        host.Mdev.DeviceCount.Should().Be(0);
    }

    [Fact]
    public void DeviceAttributes_StoreAndShowPerDevice()
    {
        MdevHost host = TopologyLoader.Parse("""
            { "parents": [ { "device": { "root": "vfio_ap", "name": "matrix", "bus": "matrix" }, "driver": "vfio_ap",
              "types": [ { "name": "passthrough", "device_api": "vfio-ap", "max_instances": 4 } ],
              "device_attributes": [ { "name": "assign_adapter", "access": "rw", "value": "" },
                                     { "name": "unassign_adapter", "access": "wo" },
                                     { "name": "control_domains", "access": "ro", "value": "" } ] } ] }
            """, "ap.json").Build();
        string create = "/sys/class/mdev_bus/matrix/mdev_supported_types/vfio_ap-passthrough/create";
        host.Sysfs.Write(create, "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001").Succeeded.Should().BeTrue();
        host.Sysfs.Write(create, "83b8f4f2-509f-382f-3c1e-e6bfe0fa1002").Succeeded.Should().BeTrue();
        string dev1 = "/sys/bus/mdev/devices/83b8f4f2-509f-382f-3c1e-e6bfe0fa1001/";
        string dev2 = "/sys/bus/mdev/devices/83b8f4f2-509f-382f-3c1e-e6bfe0fa1002/";

        host.Sysfs.Write(dev1 + "assign_adapter", "5\n").Succeeded.Should().BeTrue();

        host.Sysfs.ReadText(dev1 + "assign_adapter").Value.Should().Be("5\n");
        host.Sysfs.ReadText(dev2 + "assign_adapter").Value.Should().Be("\n");
        host.Sysfs.Stat(dev1 + "unassign_adapter").Value.Mode.Should().Be(SysfsAttribute.Modes.WriteOnly);
        host.Sysfs.Open(dev1 + "control_domains", SysfsAccess.Write).Error.Should().Be(Errno.EACCES);
    }

    [Fact]
    public void SeedKernelProfile_IsHonoured()
    {
        MdevHost host = TopologyLoader.Parse(Gpu.Replace("{ \"parents\"", "{ \"kernel\": \"seed\", \"parents\"", StringComparison.Ordinal), "s.json").Build();

        host.Profile.Should().Be(KernelProfile.Seed);
    }

    [Fact]
    public void Sample_parents_load_the_sample_drivers_with_the_given_budgets()
    {
        MdevHost host = TopologyLoader.Parse("""
            { "parents": [ { "sample": { "name": "mtty", "total_ports": 4 } },
                           { "sample": { "name": "mdpy", "max_devices": 2 } },
                           { "sample": { "name": "mbochs", "total_megabytes": 128 } } ] }
            """, "samples.json").Build();

        host.Mdev.GetParents().Select(p => p.Device.Name).Should().Equal("mbochs", "mdpy", "mtty");
        host.Sysfs.ReadText("/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2/available_instances").Value.Should().Be("2\n");
        host.Sysfs.ReadText("/sys/class/mdev_bus/mdpy/mdev_supported_types/mdpy-vga/available_instances").Value.Should().Be("2\n");
        host.Sysfs.Exists("/sys/class/mdev_bus/mbochs/mdev_supported_types").Should().BeTrue();
    }

    [Theory]
    [InlineData("""{ "parents": [ { "sample": { "name": "serial" } } ] }""", "$.parents[0].sample.name", "unknown sample \"serial\"")]
    [InlineData("""{ "parents": [ { "sample": {} } ] }""", "$.parents[0].sample.name", "required")]
    [InlineData("""{ "parents": [ { "sample": { "name": "mtty", "max_devices": 3 } } ] }""", "$.parents[0].sample", "\"total_ports\"")]
    [InlineData("""{ "parents": [ { "sample": { "name": "mtty", "total_ports": -1 } } ] }""", "$.parents[0].sample.total_ports", "zero or more")]
    [InlineData("""{ "parents": [ { "sample": { "name": "mtty" }, "driver": "x" } ] }""", "$.parents[0]", "give only \"sample\"")]
    public void A_bad_sample_parent_is_reported_with_its_json_path(string json, string path, string problem)
    {
        TopologyException e = Bad(json);

        e.JsonPath.Should().Be(path);
        e.Problem.Should().Contain(problem);
    }

    [Fact]
    public void A_ccw_parent_is_a_subchannel_of_css0_on_the_css_bus_bound_to_its_driver()
    {
        MdevHost host = TopologyLoader.LoadFile(Examples.File("vfio-ccw.json")).Build();

        host.Sysfs.ReadLink("/sys/bus/css/devices/0.0.0313").Value.Should().Be("../../../devices/css0/0.0.0313");
        host.Sysfs.ReadLink("/sys/devices/css0/0.0.0313/driver").Value.Should().Be("../../../bus/css/drivers/vfio_ccw");
        host.Sysfs.ReadLink("/sys/class/mdev_bus/0.0.0313").Value.Should().Be("../../devices/css0/0.0.0313");
        host.Sysfs.ReadText("/sys/devices/css0/0.0.0313/mdev_supported_types/vfio_ccw-io/device_api").Value.Should().Be("vfio-ccw\n");
        host.Sysfs.ReadText("/sys/devices/css0/0.0.0313/mdev_supported_types/vfio_ccw-io/available_instances").Value.Should().Be("1\n");
    }

    [Theory]
    [InlineData("""{ "parents": [ { "ccw": { "subchannel": "0.0.313" }, "driver": "vfio_ccw", "types": [ { "name": "io", "device_api": "vfio-ccw", "max_instances": 1 } ] } ] }""", "$.parents[0].ccw.subchannel", "C.S.XXXX")]
    [InlineData("""{ "parents": [ { "ccw": { "subchannel": "0.0.0313" }, "types": [ { "name": "io", "device_api": "vfio-ccw", "max_instances": 1 } ] } ] }""", "$.parents[0].driver", "vfio_ccw")]
    public void A_bad_ccw_parent_is_reported_with_its_json_path(string json, string path, string problem)
    {
        TopologyException e = Bad(json);

        e.JsonPath.Should().Be(path);
        e.Problem.Should().Contain(problem);
    }
}
