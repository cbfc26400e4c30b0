using MdevCore.DriverModel;
using MdevCore.Mediated;

namespace MdevCore.Topology;

/// <summary>
/// The vendor drivers a topology may name with <c>"vendor"</c>: drivers of the embedding application, registered by
/// name. The topology places the parent device (PCI, platform, CCW, rooted or virtual), binds it and registers it with
/// the driver the factory makes, then creates the parent's pre-created devices.
/// </summary>
/// <remarks>Add drivers before loading the topologies that use them; a loaded topology keeps the registry and makes a new
/// driver object per parent and host. Thread safety: not thread-safe while drivers are added; thread-safe to read after.</remarks>
public sealed class VendorDriverRegistry
{
    private readonly Dictionary<string, Registration> _drivers = new(StringComparer.Ordinal);

    /// <summary>The registered names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _drivers.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Registers a vendor driver under a name.</summary>
    /// <param name="name">The name a topology's <c>"vendor"</c> field uses.</param>
    /// <param name="create">Makes the driver for one parent of one host.</param>
    /// <param name="options">The parent registration's options (for example the core's instance budget); <see langword="null"/> for the defaults.</param>
    /// <returns>This registry, for chaining.</returns>
    /// <exception cref="ArgumentException">The name is empty or already registered.</exception>
    public VendorDriverRegistry Add(string name, Func<VendorDriverContext, IMdevParentOps> create, MdevParentOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(create);
        if (!_drivers.TryAdd(name, new Registration(create, options)))
        {
            throw new ArgumentException($"A vendor driver named '{name}' is already registered.", nameof(name));
        }

        return this;
    }

    /// <summary>Whether a driver of that name is registered.</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> if it is.</returns>
    public bool Contains(string name) => _drivers.ContainsKey(name);

    internal Result<MdevParent> Register(string name, VendorDriverContext context)
    {
        Registration r = _drivers[name];
        return context.Host.Mdev.RegisterParent(context.Device, r.Create(context), r.Options);
    }

    /// <summary>The sentence an unknown name gets: which names would have worked.</summary>
    internal string DescribeUnknown(string name) =>
        _drivers.Count == 0
            ? $"no vendor driver \"{name}\" is registered, and none is: register it with VendorDriverRegistry.Add (or AddVendorDriver in MdevCore.Hosting), or describe the driver with \"types\""
            : $"no vendor driver \"{name}\" is registered; the registered ones are {string.Join(", ", Names.Select(n => $"\"{n}\""))}";

    private sealed record Registration(Func<VendorDriverContext, IMdevParentOps> Create, MdevParentOptions? Options);
}

/// <summary>What a registered vendor driver's factory gets for one parent.</summary>
/// <remarks>Thread safety: immutable.</remarks>
public sealed class VendorDriverContext
{
    internal VendorDriverContext(MdevHost host, Device device, string name)
    {
        Host = host;
        Device = device;
        Name = name;
    }

    /// <summary>The host being built.</summary>
    public MdevHost Host { get; }

    /// <summary>The parent device the topology placed and bound.</summary>
    public Device Device { get; }

    /// <summary>The vendor driver's registered name.</summary>
    public string Name { get; }
}
