using System.Text.Json.Serialization;

namespace MdevCore.Topology;

// The JSON shape of a topology file (docs/topology.md, schemas/topology.schema.json). Everything is
// optional here; TopologyValidator reports what is missing with its JSON path.

/// <summary>A whole topology file.</summary>
internal sealed class TopologyDocument
{
    [JsonPropertyName("$schema")]
    public string? Schema { get; set; }

    public string? Description { get; set; }

    /// <summary><c>modern</c> (default) or <c>seed</c>.</summary>
    public string? Kernel { get; set; }

    public List<ParentSpec?>? Parents { get; set; }
}

/// <summary>One mdev parent: where its device sits and its declarative vendor driver.</summary>
internal sealed class ParentSpec
{
    public PciSpec? Pci { get; set; }

    public VirtualSpec? Virtual { get; set; }

    public PlatformSpec? Platform { get; set; }

    public CcwSpec? Ccw { get; set; }

    public SampleSpec? Sample { get; set; }

    public DeviceLocationSpec? Device { get; set; }

    /// <summary>A vendor driver registered by the embedding application (<see cref="VendorDriverRegistry"/>).</summary>
    public string? Vendor { get; set; }

    /// <summary>The parent's driver name, which prefixes its type names (<c>i915</c>, <c>nvidia</c>).</summary>
    public string? Driver { get; set; }

    /// <summary>The name of the vendor's own driver on the mdev bus (<c>vfio_ap_mdev</c>); the type prefix when absent.</summary>
    public string? MdevDriver { get; set; }

    /// <summary>An instance budget shared by all types of the parent (each device takes its type's <c>cost</c>).</summary>
    public int? SharedInstances { get; set; }

    public List<TypeSpec?>? Types { get; set; }

    public List<AttributeSpec?>? DeviceAttributes { get; set; }

    public List<AttributeSpec?>? ParentAttributes { get; set; }

    public List<FaultSpec?>? Faults { get; set; }

    /// <summary>Active devices created at build time, in order.</summary>
    public List<DeviceSpec?>? Devices { get; set; }
}

/// <summary>A device under a root device (<c>/sys/devices/&lt;root&gt;/&lt;name&gt;</c>), optionally on a bus.</summary>
internal sealed class DeviceLocationSpec
{
    public string? Root { get; set; }

    public string? Name { get; set; }

    public string? Bus { get; set; }
}

/// <summary>A fault of the declarative driver: a vendor path that fails with an errno.</summary>
internal sealed class FaultSpec
{
    public string? On { get; set; }

    public string? Errno { get; set; }

    public int? Count { get; set; }

    public int? After { get; set; }

    public string? Uuid { get; set; }

    public string? Type { get; set; }

    public string? Attribute { get; set; }
}

/// <summary>An active mdev created when the host is built.</summary>
internal sealed class DeviceSpec
{
    public string? Uuid { get; set; }

    /// <summary>The type directory name, as in <c>mdev_supported_types</c> (<c>nvidia-222</c>).</summary>
    public string? Type { get; set; }

    /// <summary>Attribute values (<c>name</c> or <c>group/name</c>), set in file order.</summary>
    public Dictionary<string, string>? Attributes { get; set; }
}

internal sealed class PciSpec
{
    public string? Address { get; set; }

    public string? Vendor { get; set; }

    public string? Device { get; set; }

    public string? Class { get; set; }

    public string? SubsystemVendor { get; set; }

    public string? SubsystemDevice { get; set; }

    public string? Revision { get; set; }

    /// <summary>The NUMA node (<c>numa_node</c>); -1 for none.</summary>
    public int? NumaNode { get; set; }

    /// <summary>The PCI Express link; absent: 8 GT/s x16.</summary>
    public LinkSpec? Link { get; set; }
}

/// <summary>A PCI Express link: speed in GT/s (2.5, 5, 8, 16, 32, 64) and width in lanes.</summary>
internal sealed class LinkSpec
{
    public double? Speed { get; set; }

    public int? Width { get; set; }
}

internal sealed class VirtualSpec
{
    public string? Class { get; set; }

    public string? Name { get; set; }
}

internal sealed class SampleSpec
{
    public string? Name { get; set; }

    public int? TotalPorts { get; set; }

    public int? MaxDevices { get; set; }

    public int? TotalMegabytes { get; set; }
}

internal sealed class CcwSpec
{
    public string? Subchannel { get; set; }

    public string? Css { get; set; }
}

internal sealed class PlatformSpec
{
    public string? Name { get; set; }
}

/// <summary>One mdev type of a declarative driver.</summary>
internal sealed class TypeSpec
{
    /// <summary>The sysfs name after the driver prefix (<c>GVTg_V5_4</c> makes <c>i915-GVTg_V5_4</c>).</summary>
    public string? Name { get; set; }

    /// <summary>What the type's <c>name</c> attribute shows; the sysfs name when absent.</summary>
    public string? PrettyName { get; set; }

    public string? Description { get; set; }

    public string? DeviceApi { get; set; }

    /// <summary>The type's own budget.</summary>
    public int? MaxInstances { get; set; }

    /// <summary>How much of the parent's shared budget one device takes (default 1).</summary>
    public int? Cost { get; set; }

    /// <summary>Fault injection: every create of this type fails with this errno name (for example <c>EBUSY</c>).</summary>
    public string? CreateError { get; set; }
}

/// <summary>A per-device attribute with a stored value.</summary>
internal sealed class AttributeSpec
{
    public string? Name { get; set; }

    /// <summary>The attribute group's subdirectory (<c>vendor</c>); none puts the file in the device's directory.</summary>
    public string? Group { get; set; }

    /// <summary><c>ro</c> (0444), <c>wo</c> (0200) or <c>rw</c> (0644).</summary>
    public string? Access { get; set; }

    /// <summary>The initial value of every new device, without newline.</summary>
    public string? Value { get; set; }

    /// <summary>Only devices of these types (sysfs names) get the attribute; all when absent.</summary>
    public List<string>? Types { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(TopologyDocument))]
internal sealed partial class TopologyJsonContext : JsonSerializerContext;
