using System.Text.Json;

namespace MdevCore.Topology.Tests;

/// <summary><c>schemas/topology.schema.json</c> and <see cref="TopologyLoader"/> give every example and every rejected input the
/// same verdict; the few cross-checks only the loader can make are listed with their reason.</summary>
public sealed class SchemaAgreementTests
{
    private const string Gpu = """{ "pci": { "address": "0000:00:02.0" }, "driver": "i915", "types": [ { "name": "x", "device_api": "vfio-pci", "max_instances": 2 } ] }""";

    private const string U1 = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001";

    /// <summary>Inputs both must refuse, with what each one breaks.</summary>
    public static TheoryData<string, string> Rejected => new()
    {
        { "no parents", """{ "parents": [] }""" },
        { "unknown top-level property", """{ "parents": [ GPU ], "colour": 1 }""" },
        { "unknown kernel", """{ "kernel": "2.6", "parents": [ GPU ] }""" },
        { "two locations", """{ "parents": [ { "pci": { "address": "0000:00:02.0" }, "platform": { "name": "x" }, "driver": "d", "types": [ { "name": "x", "device_api": "a", "max_instances": 1 } ] } ] }""" },
        { "no location", """{ "parents": [ { "driver": "d", "types": [ { "name": "x", "device_api": "a", "max_instances": 1 } ] } ] }""" },
        { "pci without driver", """{ "parents": [ { "pci": { "address": "0000:00:02.0" }, "types": [ { "name": "x", "device_api": "a", "max_instances": 1 } ] } ] }""" },
        { "bad pci address", """{ "parents": [ { "pci": { "address": "00:02.0" }, "driver": "d", "types": [ { "name": "x", "device_api": "a", "max_instances": 1 } ] } ] }""" },
        { "bad hex", """{ "parents": [ { "pci": { "address": "0000:00:02.0", "vendor": "0xzz" }, "driver": "d", "types": [ { "name": "x", "device_api": "a", "max_instances": 1 } ] } ] }""" },
        { "NUMA node below -1", """{ "parents": [ { "pci": { "address": "0000:00:02.0", "numa_node": -2 }, "driver": "d", "types": [ { "name": "x", "device_api": "a", "max_instances": 1 } ] } ] }""" },
        { "link speed that PCI Express lacks", """{ "parents": [ { "pci": { "address": "0000:00:02.0", "link": { "speed": 4 } }, "driver": "d", "types": [ { "name": "x", "device_api": "a", "max_instances": 1 } ] } ] }""" },
        { "link width that PCI Express lacks", """{ "parents": [ { "pci": { "address": "0000:00:02.0", "link": { "width": 3 } }, "driver": "d", "types": [ { "name": "x", "device_api": "a", "max_instances": 1 } ] } ] }""" },
        { "ccw without driver", """{ "parents": [ { "ccw": { "subchannel": "0.0.0313" }, "types": [ { "name": "io", "device_api": "vfio-ccw", "max_instances": 1 } ] } ] }""" },
        { "bad ccw bus id", """{ "parents": [ { "ccw": { "subchannel": "0.0.313" }, "driver": "vfio_ccw", "types": [ { "name": "io", "device_api": "vfio-ccw", "max_instances": 1 } ] } ] }""" },
        { "rooted device without root", """{ "parents": [ { "device": { "name": "matrix" }, "driver": "vfio_ap", "types": [ { "name": "p", "device_api": "vfio-ap", "max_instances": 1 } ] } ] }""" },
        { "rooted device without driver", """{ "parents": [ { "device": { "root": "vfio_ap", "name": "matrix" }, "types": [ { "name": "p", "device_api": "vfio-ap", "max_instances": 1 } ] } ] }""" },
        { "no types", """{ "parents": [ { "virtual": { "class": "mtty" } } ] }""" },
        { "empty types", """{ "parents": [ { "virtual": { "class": "mtty" }, "types": [] } ] }""" },
        { "type without device_api", """{ "parents": [ { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "max_instances": 1 } ] } ] }""" },
        { "negative max_instances", """{ "parents": [ { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "device_api": "a", "max_instances": -1 } ] } ] }""" },
        { "zero cost", """{ "parents": [ { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "device_api": "a", "max_instances": 1, "cost": 0 } ] } ] }""" },
        { "string max_instances", """{ "parents": [ { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "device_api": "a", "max_instances": "2" } ] } ] }""" },
        { "unknown create_error", """{ "parents": [ { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "device_api": "a", "max_instances": 1, "create_error": "EWHATEVER" } ] } ] }""" },
        { "name with a slash", """{ "parents": [ { "virtual": { "class": "mtty" }, "types": [ { "name": "a/b", "device_api": "a", "max_instances": 1 } ] } ] }""" },
        { "attribute shadowing remove", """{ "parents": [ { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "device_api": "a", "max_instances": 1 } ], "device_attributes": [ { "name": "remove", "access": "rw" } ] } ] }""" },
        { "attribute group shadowing power", """{ "parents": [ { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "device_api": "a", "max_instances": 1 } ], "device_attributes": [ { "group": "power", "name": "x", "access": "rw" } ] } ] }""" },
        { "bad attribute access", """{ "parents": [ { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "device_api": "a", "max_instances": 1 } ], "device_attributes": [ { "name": "a", "access": "rx" } ] } ] }""" },
        { "parent attribute shadowing mdev_supported_types", """{ "parents": [ { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "device_api": "a", "max_instances": 1 } ], "parent_attributes": [ { "name": "mdev_supported_types", "access": "ro" } ] } ] }""" },
        { "unknown sample", """{ "parents": [ { "sample": { "name": "serial" } } ] }""" },
        { "sample with a driver", """{ "parents": [ { "sample": { "name": "mtty" }, "driver": "x" } ] }""" },
        { "sample with types", """{ "parents": [ { "sample": { "name": "mtty" }, "types": [ { "name": "1", "device_api": "a", "max_instances": 1 } ] } ] }""" },
        { "negative sample budget", """{ "parents": [ { "sample": { "name": "mtty", "total_ports": -1 } } ] }""" },
        { "vendor with types", """{ "parents": [ { "pci": { "address": "0000:00:02.0" }, "driver": "d", "vendor": "v", "types": [ { "name": "1", "device_api": "a", "max_instances": 1 } ] } ] }""" },
        { "fault on an unknown path", """{ "parents": [ GPU_FAULT { "on": "mmap", "errno": "EIO" } ] } ] }""" },
        { "fault without errno", """{ "parents": [ GPU_FAULT { "on": "open" } ] } ] }""" },
        { "fault with an unknown errno", """{ "parents": [ GPU_FAULT { "on": "open", "errno": "EWHAT" } ] } ] }""" },
        { "available_instances fault with an errno", """{ "parents": [ GPU_FAULT { "on": "available_instances", "errno": "EIO" } ] } ] }""" },
        { "available_instances fault without count", """{ "parents": [ GPU_FAULT { "on": "available_instances" } ] } ] }""" },
        { "available_instances fault for a uuid", """{ "parents": [ GPU_FAULT { "on": "available_instances", "count": 1, "uuid": "U1" } ] } ] }""" },
        { "count on an errno fault", """{ "parents": [ GPU_FAULT { "on": "open", "errno": "EIO", "count": 1 } ] } ] }""" },
        { "negative after", """{ "parents": [ GPU_FAULT { "on": "open", "errno": "EIO", "after": -1 } ] } ] }""" },
        { "attribute on a non-store fault", """{ "parents": [ GPU_FAULT { "on": "open", "errno": "EIO", "attribute": "a" } ] } ] }""" },
        { "bad fault uuid", """{ "parents": [ GPU_FAULT { "on": "open", "errno": "EIO", "uuid": "x" } ] } ] }""" },
        { "remove fault in a modern topology", """{ "parents": [ GPU_FAULT { "on": "remove", "errno": "EBUSY" } ] } ] }""" },
        { "remove fault without a kernel (modern)", """{ "kernel": "modern", "parents": [ GPU_FAULT { "on": "remove", "errno": "EBUSY" } ] } ] }""" },
        { "device without uuid", """{ "parents": [ { "sample": { "name": "mtty" }, "devices": [ { "type": "mtty-1" } ] } ] }""" },
        { "device with a bad uuid", """{ "parents": [ { "sample": { "name": "mtty" }, "devices": [ { "uuid": "83b8f4f2", "type": "mtty-1" } ] } ] }""" },
        { "device without type", """{ "parents": [ { "sample": { "name": "mtty" }, "devices": [ { "uuid": "U1" } ] } ] }""" },
        { "device attribute value with a newline", """{ "parents": [ { "sample": { "name": "mtty" }, "devices": [ { "uuid": "U1", "type": "mtty-1", "attributes": { "a": "x\ny" } } ] } ] }""" },
        { "unknown device property", """{ "parents": [ { "sample": { "name": "mtty" }, "devices": [ { "uuid": "U1", "type": "mtty-1", "state": "on" } ] } ] }""" },
    };

    /// <summary>Inputs only the loader refuses: they need to compare values across the document.</summary>
    public static TheoryData<string, string> LoaderOnly => new()
    {
        { "no instance budget (max_instances or shared_instances)", """{ "parents": [ { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "device_api": "a" } ] } ] }""" },
        { "duplicate parent names", """{ "parents": [ GPU, GPU ] }""" },
        { "duplicate type names", """{ "parents": [ { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "device_api": "a", "max_instances": 1 }, { "name": "1", "device_api": "a", "max_instances": 1 } ] } ] }""" },
        { "virtual driver other than the class", """{ "parents": [ { "virtual": { "class": "mtty" }, "driver": "x", "types": [ { "name": "1", "device_api": "a", "max_instances": 1 } ] } ] }""" },
        { "attribute limited to an unknown type", """{ "parents": [ { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "device_api": "a", "max_instances": 1 } ], "device_attributes": [ { "name": "a", "access": "rw", "types": [ "2" ] } ] } ] }""" },
        { "fault for an unknown type", """{ "parents": [ GPU_FAULT { "on": "open", "errno": "EIO", "type": "y" } ] } ] }""" },
        { "store fault for an unknown attribute", """{ "parents": [ GPU_FAULT { "on": "store", "errno": "EIO", "attribute": "a" } ] } ] }""" },
        { "device of a type the parent lacks", """{ "parents": [ { "pci": { "address": "0000:00:02.0" }, "driver": "i915", "types": [ { "name": "x", "device_api": "a", "max_instances": 2 } ], "devices": [ { "uuid": "U1", "type": "i915-y" } ] } ] }""" },
        { "the same device uuid twice", """{ "parents": [ { "sample": { "name": "mtty" }, "devices": [ { "uuid": "U1", "type": "mtty-1" }, { "uuid": "U1", "type": "mtty-1" } ] } ] }""" },
        { "sample budget field of another sample", """{ "parents": [ { "sample": { "name": "mtty", "max_devices": 3 } } ] }""" },
        { "vendor not registered", """{ "parents": [ { "pci": { "address": "0000:00:02.0" }, "driver": "d", "vendor": "v" } ] }""" },
        { "hex above the field's width", """{ "parents": [ { "pci": { "address": "0000:00:02.0", "vendor": "0x10000" }, "driver": "d", "types": [ { "name": "x", "device_api": "a", "max_instances": 1 } ] } ] }""" },
        { "revision above 0xff", """{ "parents": [ { "pci": { "address": "0000:00:02.0", "revision": "0x100" }, "driver": "d", "types": [ { "name": "x", "device_api": "a", "max_instances": 1 } ] } ] }""" },
    };

    public static TheoryData<string> ExampleFiles => [.. Directory.GetFiles(Examples.Directory, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Every_example_is_valid_for_both(string file)
    {
        string json = File.ReadAllText(Examples.File(file));

        SchemaErrors(json).Should().BeEmpty();
        FluentActions.Invoking(() => TopologyLoader.Parse(json, file)).Should().NotThrow();
    }

    [Fact]
    public void The_examples_are_all_checked()
    {
        ExampleFiles.Should().HaveCountGreaterThanOrEqualTo(6);
    }

    [Theory]
    [MemberData(nameof(Rejected))]
    public void A_rejected_input_is_rejected_by_both(string what, string template)
    {
        string json = Expand(template);

        SchemaErrors(json).Should().NotBeEmpty(what);
        FluentActions.Invoking(() => TopologyLoader.Parse(json, "bad.json")).Should().Throw<TopologyException>(what);
    }

    [Theory]
    [MemberData(nameof(LoaderOnly))]
    public void A_cross_check_only_the_loader_can_make_passes_the_schema_and_fails_the_loader(string what, string template)
    {
        string json = Expand(template);

        SchemaErrors(json).Should().BeEmpty($"the schema cannot compare values across the document ({what})");
        FluentActions.Invoking(() => TopologyLoader.Parse(json, "bad.json")).Should().Throw<TopologyException>(what);
    }

    [Fact]
    public void The_schemas_errno_names_are_the_ones_the_loader_accepts()
    {
        using JsonDocument schema = JsonDocument.Parse(File.ReadAllText(TopologySchema.File));
        string[] names = [.. schema.RootElement.GetProperty("$defs").GetProperty("errno").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!)];

        names.Should().BeEquivalentTo(Enum.GetNames<Errno>().Where(n => n != nameof(Errno.None)));
    }

    private static string Expand(string template) => template
        .Replace("GPU_FAULT", """{ "pci": { "address": "0000:00:02.0" }, "driver": "i915", "types": [ { "name": "x", "device_api": "vfio-pci", "max_instances": 2 } ], "device_attributes": [ { "name": "k", "access": "rw" } ], "faults": [""", StringComparison.Ordinal)
        .Replace("GPU", Gpu, StringComparison.Ordinal)
        .Replace("\"U1\"", $"\"{U1}\"", StringComparison.Ordinal);

    private static List<string> SchemaErrors(string json) => TopologySchema.Errors(json);
}
