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

    /// <summary>The parent's driver name, which prefixes its type names (<c>i915</c>, <c>nvidia</c>).</summary>
    public string? Driver { get; set; }

    /// <summary>An instance budget shared by all types of the parent (each device takes its type's <c>cost</c>).</summary>
    public int? SharedInstances { get; set; }

    public List<TypeSpec?>? Types { get; set; }

    public List<AttributeSpec?>? DeviceAttributes { get; set; }
}

internal sealed class PciSpec
{
    public string? Address { get; set; }

    public string? Vendor { get; set; }

    public string? Device { get; set; }

    public string? Class { get; set; }
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
