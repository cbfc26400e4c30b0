using MdevCore.DriverModel;

namespace MdevCore.Topology.Tests;

/// <summary>Active devices listed in a topology are created at build time through the normal create path.</summary>
public sealed class PreCreatedDeviceTests
{
    private const string U1 = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001";
    private const string U2 = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1002";

    private static string Vgpu(string devices) => $$"""
        { "parents": [ { "pci": { "address": "0000:41:00.0", "vendor": "0x10de", "device": "0x1eb8" }, "driver": "nvidia",
            "shared_instances": 16,
            "types": [ { "name": "222", "device_api": "vfio-pci", "cost": 1 }, { "name": "230", "device_api": "vfio-pci", "cost": 4 } ],
            "device_attributes": [ { "name": "serial", "access": "ro", "value": "none" },
                                   { "group": "vendor", "name": "mode", "access": "rw", "value": "a" } ],
            "devices": [ {{devices}} ] } ] }
        """;

    [Fact]
    public void Devices_are_created_in_order_with_their_uevents_and_take_their_share_of_the_budget()
    {
        MdevHost host = TopologyLoader.Parse(Vgpu($$"""{ "uuid": "{{U1}}", "type": "nvidia-230" }, { "uuid": "{{U2}}", "type": "nvidia-222" }"""), "v.json").Build();

        host.Mdev.DeviceCount.Should().Be(2);
        host.Sysfs.ReadLink($"/sys/bus/mdev/devices/{U1}/mdev_type").Value.Should().EndWith("/nvidia-230");
        host.Sysfs.ReadText("/sys/class/mdev_bus/0000:41:00.0/mdev_supported_types/nvidia-222/available_instances").Value.Should().Be("11\n");
        IReadOnlyList<UEvent> events = host.UEvents.Drain();
        events.Where(e => e.Action == UEventAction.Add && e.DevPath.EndsWith(U1, StringComparison.Ordinal)).Should().ContainSingle();
        events.Select(e => e.DevPath).Where(p => p.Contains("83b8f4f2", StringComparison.Ordinal)).Distinct()
            .Should().Equal($"/devices/pci0000:41/0000:41:00.0/{U1}", $"/devices/pci0000:41/0000:41:00.0/{U2}");
    }

    [Fact]
    public void Attribute_values_are_the_devices_initial_state_read_only_and_grouped_ones_included()
    {
        MdevHost host = TopologyLoader.Parse(Vgpu($$"""{ "uuid": "{{U1}}", "type": "nvidia-222", "attributes": { "serial": "1324", "vendor/mode": "b" } }"""), "v.json").Build();

        host.Sysfs.ReadText($"/sys/bus/mdev/devices/{U1}/serial").Value.Should().Be("1324\n");
        host.Sysfs.ReadText($"/sys/bus/mdev/devices/{U1}/vendor/mode").Value.Should().Be("b\n");
    }

    [Fact]
    public void A_device_the_budget_cannot_hold_fails_the_build_with_the_create_errno_and_its_json_path()
    {
        string json = Vgpu(string.Join(", ", Enumerable.Range(1, 5).Select(i => $$"""{ "uuid": "83b8f4f2-509f-382f-3c1e-e6bfe0fa100{{i}}", "type": "nvidia-230" }""")));
        HostTopology topology = TopologyLoader.Parse(json, "v.json");

        TopologyException e = FluentActions.Invoking(() => topology.Build()).Should().Throw<TopologyException>().Which;

        e.JsonPath.Should().Be("$.parents[0].devices[4]");
        e.Problem.Should().Contain("ENOSPC");
    }

    [Fact]
    public void Sample_parents_take_devices_too_created_through_the_samples_own_types()
    {
        MdevHost host = TopologyLoader.Parse($$"""{ "parents": [ { "sample": { "name": "mtty" }, "devices": [ { "uuid": "{{U1}}", "type": "mtty-2" } ] } ] }""", "s.json").Build();

        host.Sysfs.ReadText("/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2/available_instances").Value.Should().Be("11\n");
    }

    [Theory]
    [InlineData("""{ "uuid": "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001", "type": "nvidia-999" }""", "$.parents[0].devices[0].type", "\"nvidia-222\", \"nvidia-230\"")]
    [InlineData("""{ "type": "nvidia-222" }""", "$.parents[0].devices[0].uuid", "required")]
    [InlineData("""{ "uuid": "83b8f4f2", "type": "nvidia-222" }""", "$.parents[0].devices[0].uuid", "not a UUID")]
    [InlineData("""{ "uuid": "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001", "type": "nvidia-222" }, { "uuid": "83B8F4F2-509F-382F-3C1E-E6BFE0FA1001", "type": "nvidia-222" }""", "$.parents[0].devices[1].uuid", "already used by $.parents[0].devices[0]")]
    [InlineData("""{ "uuid": "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001", "type": "nvidia-222", "attributes": { "colour": "red" } }""", "$.parents[0].devices[0].attributes.colour", "not a device attribute")]
    public void A_bad_device_is_reported_with_its_json_path(string devices, string path, string problem)
    {
        TopologyException e = FluentActions.Invoking(() => TopologyLoader.Parse(Vgpu(devices), "v.json")).Should().Throw<TopologyException>().Which;

        e.JsonPath.Should().Be(path);
        e.Problem.Should().Contain(problem);
    }

    [Fact]
    public void A_sample_device_of_an_unknown_type_fails_the_build_naming_the_samples_types()
    {
        HostTopology topology = TopologyLoader.Parse($$"""{ "parents": [ { "sample": { "name": "mtty" }, "devices": [ { "uuid": "{{U1}}", "type": "mtty-9" } ] } ] }""", "s.json");

        TopologyException e = FluentActions.Invoking(() => topology.Build()).Should().Throw<TopologyException>().Which;

        e.JsonPath.Should().Be("$.parents[0].devices[0].type");
        e.Problem.Should().Contain("\"mtty-1\", \"mtty-2\"");
    }
}
