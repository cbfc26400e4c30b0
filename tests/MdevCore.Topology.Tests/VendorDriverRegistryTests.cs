using MdevCore.Mediated;

namespace MdevCore.Topology.Tests;

/// <summary>Topologies that name vendor drivers registered by the embedding application.</summary>
public sealed class VendorDriverRegistryTests
{
    private const string Json = """
        { "parents": [ { "pci": { "address": "0000:00:05.0", "vendor": "0x1d0f" }, "driver": "acme", "vendor": "acme-accel",
            "devices": [ { "uuid": "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001", "type": "acme-small" } ] } ] }
        """;

    [Fact]
    public void A_registered_driver_serves_the_parent_the_topology_places_and_gets_its_devices()
    {
        var seen = new List<string>();
        var drivers = new VendorDriverRegistry().Add("acme-accel", c =>
        {
            seen.Add(c.Device.SysfsPath + " " + c.Name);
            return new Accel();
        });

        MdevHost host = TopologyLoader.Parse(Json, "acme.json", drivers).Build();

        seen.Should().Equal("/sys/devices/pci0000:00/0000:00:05.0 acme-accel");
        host.Sysfs.ReadText("/sys/class/mdev_bus/0000:00:05.0/mdev_supported_types/acme-small/device_api").Value.Should().Be("vfio-pci\n");
        host.Mdev.DeviceCount.Should().Be(1);
    }

    [Fact]
    public void Each_build_gets_its_own_driver_object()
    {
        int made = 0;
        HostTopology topology = TopologyLoader.Parse(Json, "acme.json", new VendorDriverRegistry().Add("acme-accel", _ => { made++; return new Accel(); }));

        _ = topology.Build();
        _ = topology.Build();

        made.Should().Be(2);
    }

    [Fact]
    public void An_unknown_name_is_reported_naming_the_registered_drivers()
    {
        var drivers = new VendorDriverRegistry().Add("zeta", _ => new Accel()).Add("alpha", _ => new Accel());

        TopologyException e = FluentActions.Invoking(() => TopologyLoader.Parse(Json, "acme.json", drivers)).Should().Throw<TopologyException>().Which;

        e.Message.Should().Be("acme.json: $.parents[0].vendor: no vendor driver \"acme-accel\" is registered; the registered ones are \"alpha\", \"zeta\"");
    }

    [Fact]
    public void Without_a_registry_the_error_says_how_to_register_one()
    {
        TopologyException e = FluentActions.Invoking(() => TopologyLoader.Parse(Json, "acme.json")).Should().Throw<TopologyException>().Which;

        e.Problem.Should().Contain("none is").And.Contain("VendorDriverRegistry.Add");
    }

    [Fact]
    public void A_registered_driver_brings_its_own_types_so_declarative_fields_are_refused()
    {
        string json = Json.Replace("\"vendor\": \"acme-accel\",", "\"vendor\": \"acme-accel\", \"shared_instances\": 2,", StringComparison.Ordinal);

        TopologyException e = FluentActions.Invoking(() => TopologyLoader.Parse(json, "acme.json", new VendorDriverRegistry().Add("acme-accel", _ => new Accel())))
            .Should().Throw<TopologyException>().Which;

        e.JsonPath.Should().Be("$.parents[0]");
        e.Problem.Should().Contain("brings its own types");
    }

    [Fact]
    public void Registering_a_name_twice_throws()
    {
        var drivers = new VendorDriverRegistry().Add("acme", _ => new Accel());

        FluentActions.Invoking(() => drivers.Add("acme", _ => new Accel())).Should().Throw<ArgumentException>().WithMessage("*'acme'*");
    }

    private sealed class Accel : IMdevParentOps, IMdevAvailableInstances
    {
        public IReadOnlyList<MdevTypeInfo> SupportedTypes { get; } = [new("small", MdevTypeInfo.VfioPci)];

        public Errno Create(MdevDevice mdev) => Errno.None;

        public Errno Remove(MdevDevice mdev) => Errno.None;

        public int GetAvailableInstances(MdevType type) => 4;
    }
}
