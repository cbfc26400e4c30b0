using MdevCore.DriverModel;

namespace MdevCore.Topology;

/// <summary>A validated topology: the kernel profile and the parents, ready to build hosts from.</summary>
/// <remarks>Immutable: build as many independent hosts from one topology as you like. Thread safety: thread-safe.</remarks>
public sealed class HostTopology
{
    internal HostTopology(string source, KernelProfile profile, IReadOnlyList<ParentModel> parents)
    {
        Source = source;
        Profile = profile;
        Parents = parents;
    }

    /// <summary>Where the topology came from: a file path, or <see cref="TopologyLoader.DefaultName"/>.</summary>
    public string Source { get; }

    /// <summary>The kernel generation the hosts behave like.</summary>
    public KernelProfile Profile { get; }

    /// <summary>The parent devices' names (a PCI address, a platform or virtual device name), in file order.</summary>
    public IReadOnlyList<string> ParentNames => [.. Parents.Select(p => p.Name)];

    internal IReadOnlyList<ParentModel> Parents { get; }

    /// <summary>Builds a new host: adds each parent device, binds its driver and registers its vendor driver.</summary>
    /// <param name="loggerFactory">Where the host logs; <see langword="null"/> for nowhere.</param>
    /// <param name="removeWaitTimeout">How long a remove waits for an open device (<see cref="MdevHostOptions.RemoveWaitTimeout"/>);
    /// <see langword="null"/> waits 30 seconds.</param>
    /// <returns>The host.</returns>
    /// <exception cref="TopologyException">The host refused a device or parent the file describes.</exception>
    public MdevHost Build(Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null, TimeSpan? removeWaitTimeout = null) =>
        HostBuilder.Build(this, loggerFactory, removeWaitTimeout ?? TimeSpan.FromSeconds(30));
}

internal enum ParentLocation
{
    Pci,
    Virtual,
    Platform,

    /// <summary>A CCW subchannel under an s390 channel subsystem (<c>/sys/devices/css0/0.0.0313</c>, bus <c>css</c>).</summary>
    Ccw,

    /// <summary>One of the sample drivers, which adds its own virtual device.</summary>
    Sample,
}

/// <summary>A sample driver and its budget (ports for mtty, devices for mdpy, megabytes for mbochs; null: its default).</summary>
internal sealed record SampleModel(string Name, int? Budget);

/// <summary>A validated parent. <see cref="Driver"/> is the type prefix (for a virtual device, its class).</summary>
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
    string? Css = null);

internal sealed record TypeModel(string Name, string? PrettyName, string? Description, string DeviceApi, int? MaxInstances, int Cost, Errno CreateError);

internal enum AttributeAccess
{
    ReadOnly,
    WriteOnly,
    ReadWrite,
}

internal sealed record AttributeModel(string Name, AttributeAccess Access, string Value, IReadOnlySet<string>? Types);
