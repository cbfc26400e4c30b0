using MdevCore.DriverModel;

namespace MdevCore.Cli.Topology;

/// <summary>A validated topology: the kernel profile and the parents, ready to build a host from.</summary>
internal sealed record HostTopology(string Source, KernelProfile Profile, IReadOnlyList<ParentModel> Parents);

internal enum ParentLocation
{
    Pci,
    Virtual,
    Platform,
}

/// <summary>A validated parent. <see cref="Driver"/> is the type prefix (for a virtual device, its class).</summary>
internal sealed record ParentModel(
    string JsonPath,
    ParentLocation Location,
    string Name,
    string Driver,
    PciIds Ids,
    int? SharedInstances,
    IReadOnlyList<TypeModel> Types,
    IReadOnlyList<AttributeModel> DeviceAttributes);

internal sealed record TypeModel(string Name, string? PrettyName, string? Description, string DeviceApi, int? MaxInstances, int Cost, Errno CreateError);

internal enum AttributeAccess
{
    ReadOnly,
    WriteOnly,
    ReadWrite,
}

internal sealed record AttributeModel(string Name, AttributeAccess Access, string Value, IReadOnlySet<string>? Types);
