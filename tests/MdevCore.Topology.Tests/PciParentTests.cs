using System.Buffers.Binary;

namespace MdevCore.Topology.Tests;

/// <summary>A PCI parent's ids, NUMA node and link from the topology reach its sysfs files and config space.</summary>
public sealed class PciParentTests
{
    private const string Json = """
        { "parents": [ {
            "pci": { "address": "0000:41:00.0", "vendor": "0x10de", "device": "0x2236", "class": "0x030200",
                     "subsystem_vendor": "0x10de", "subsystem_device": "0x1482", "revision": "0xa1",
                     "numa_node": 1, "link": { "speed": 16, "width": 8 } },
            "driver": "nvidia",
            "types": [ { "name": "A10-4Q", "device_api": "vfio-pci", "max_instances": 6 } ] } ] }
        """;

    private const string Dir = "/sys/bus/pci/devices/0000:41:00.0";

    [Fact]
    public void Ids_numa_node_and_link_are_what_the_files_report()
    {
        MdevHost host = TopologyLoader.Parse(Json, "gpu.json").Build();

        host.Sysfs.ReadText(Dir + "/vendor").Value.Should().Be("0x10de\n");
        host.Sysfs.ReadText(Dir + "/subsystem_device").Value.Should().Be("0x1482\n");
        host.Sysfs.ReadText(Dir + "/revision").Value.Should().Be("0xa1\n");
        host.Sysfs.ReadText(Dir + "/class").Value.Should().Be("0x030200\n");
        host.Sysfs.ReadText(Dir + "/numa_node").Value.Should().Be("1\n");
        host.Sysfs.ReadText(Dir + "/max_link_speed").Value.Should().Be("16.0 GT/s PCIe\n");
        host.Sysfs.ReadText(Dir + "/current_link_width").Value.Should().Be("8\n");
    }

    [Fact]
    public void Config_space_carries_the_same_ids()
    {
        MdevHost host = TopologyLoader.Parse(Json, "gpu.json").Build();
        var header = new byte[64];

        host.Sysfs.Open(Dir + "/config", Sysfs.SysfsAccess.Read).Value.Read(header, 0).Value.Should().Be(64);

        BinaryPrimitives.ReadUInt32LittleEndian(header).Should().Be(0x2236_10deu);
        BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8)).Should().Be(0x0302_00a1u);
        BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x2c)).Should().Be(0x1482_10deu);
    }

    [Fact]
    public void Without_the_fields_a_PCI_parent_has_no_NUMA_node_and_an_8_GT_s_x16_link()
    {
        MdevHost host = TopologyLoader.Parse(Json.Replace("\"numa_node\": 1, \"link\": { \"speed\": 16, \"width\": 8 } ", "", StringComparison.Ordinal), "gpu.json").Build();

        host.Sysfs.ReadText(Dir + "/numa_node").Value.Should().Be("-1\n");
        host.Sysfs.ReadText(Dir + "/max_link_speed").Value.Should().Be("8.0 GT/s PCIe\n");
        host.Sysfs.ReadText(Dir + "/max_link_width").Value.Should().Be("16\n");
    }

    [Theory]
    [InlineData("\"numa_node\": 1024", "$.parents[0].pci.numa_node")]
    [InlineData("\"link\": { \"speed\": 3 }", "$.parents[0].pci.link.speed")]
    [InlineData("\"link\": { \"width\": 6 }", "$.parents[0].pci.link.width")]
    [InlineData("\"revision\": \"0x1ff\"", "$.parents[0].pci.revision")]
    public void Out_of_range_values_are_refused_with_their_json_path(string field, string path)
    {
        string json = Json.Replace("\"numa_node\": 1, \"link\": { \"speed\": 16, \"width\": 8 }", field, StringComparison.Ordinal);

        FluentActions.Invoking(() => TopologyLoader.Parse(json, "gpu.json")).Should().Throw<TopologyException>().Which.Message.Should().Contain(path);
    }
}
