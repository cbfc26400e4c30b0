using MdevCore.DriverModel;

namespace MdevCore.Topology;

internal enum ParentLocation
{
    Pci,
    Virtual,
    Platform,

    /// <summary>A CCW subchannel under an s390 channel subsystem (<c>/sys/devices/css0/0.0.0313</c>, bus <c>css</c>).</summary>
    Ccw,

    /// <summary>A device below a root device, optionally on a bus (<c>/sys/devices/vfio_ap/matrix</c> on bus <c>matrix</c>).</summary>
    Rooted,

    /// <summary>One of the sample drivers, which adds its own virtual device.</summary>
    Sample,
}

/// <summary>A sample driver and its budget (ports for mtty, devices for mdpy, megabytes for mbochs; null: its default).</summary>
internal sealed record SampleModel(string Name, int? Budget);

/// <summary>A validated parent. <see cref="Driver"/> is the type prefix (for a virtual device, its class); <see cref="Root"/> the
/// root device a CCW or rooted parent sits under (<c>css0</c>, <c>vfio_ap</c>); <see cref="Bus"/> the bus of a rooted parent
/// (<see langword="null"/>: none); <see cref="Vendor"/> the registered vendor driver serving it (<see langword="null"/>: the
/// declarative driver).</summary>
internal sealed record ParentModel(
    string JsonPath,
    ParentLocation Location,
    string Name,
    string Driver,
    PciIds Ids,
    int? SharedInstances,
    IReadOnlyList<TypeModel> Types,
    IReadOnlyList<AttributeModel> DeviceAttributes,
    SampleModel? Sample = null,
    string? Root = null,
    string? Bus = null,
    string? Vendor = null)
{
    /// <summary>A PCI parent's NUMA node and link; <see langword="null"/> for other parents.</summary>
    public PciDeviceOptions? PciOptions { get; init; }

    /// <summary>Files of the parent device itself (kernel: the vendor's <c>mdev_parent_ops.dev_attr_groups</c>).</summary>
    public IReadOnlyList<AttributeModel> ParentAttributes { get; init; } = [];

    /// <summary>The declarative driver's faults, type-level <c>create_error</c>s included.</summary>
    public IReadOnlyList<FaultModel> Faults { get; init; } = [];

    /// <summary>The declarative driver's name on the mdev bus (6.x <c>mdev_driver.driver.name</c>); <see langword="null"/>: the type prefix.</summary>
    public string? MdevDriver { get; init; }

    /// <summary>The devices created when the host is built, in file order.</summary>
    public IReadOnlyList<ActiveDeviceModel> Devices { get; init; } = [];
}

internal sealed record TypeModel(string Name, string? PrettyName, string? Description, string DeviceApi, int? MaxInstances, int Cost);

internal enum AttributeAccess
{
    ReadOnly,
    WriteOnly,
    ReadWrite,
}

/// <summary>A declarative attribute: <see cref="Group"/> is its subdirectory (<see langword="null"/>: none).</summary>
internal sealed record AttributeModel(string? Group, string Name, AttributeAccess Access, string Value, IReadOnlySet<string>? Types)
{
    /// <summary><c>name</c>, or <c>group/name</c>: how faults and pre-created devices refer to the attribute.</summary>
    public string Key => Group is null ? Name : Group + "/" + Name;
}

/// <summary>The vendor paths of the declarative driver that a fault can make fail.</summary>
internal enum FaultPath
{
    Create,
    Remove,
    Open,
    Release,
    Read,
    Write,
    Ioctl,
    Store,
    AvailableInstances,
}

/// <summary>A fault: calls on <see cref="On"/> that match <see cref="Uuid"/>, <see cref="Type"/> and <see cref="Attribute"/>
/// (each when given) pass untouched <see cref="After"/> times, then fail with <see cref="Error"/>
/// (<see cref="FaultPath.AvailableInstances"/>: report <see cref="Count"/>).</summary>
internal sealed record FaultModel(string JsonPath, FaultPath On, Errno Error, int Count, int After, Guid? Uuid, string? Type, string? Attribute);

/// <summary>A device to create at build time: its type directory name and attribute values (by <see cref="AttributeModel.Key"/>).</summary>
internal sealed record ActiveDeviceModel(string JsonPath, Guid Uuid, string Type, IReadOnlyList<KeyValuePair<string, string>> Attributes);
