using MdevCore.Mediated;
using MdevCore.Topology;

namespace MdevCore.Hosting;

/// <summary>The vendor drivers an application registered with <see cref="MdevHostingBuilder.AddVendorDriver(string, Func{IServiceProvider, VendorDriverContext, IMdevParentOps}, MdevParentOptions?)"/>,
/// one list per service collection, turned into the <see cref="VendorDriverRegistry"/> singleton that topology files are loaded with.</summary>
internal sealed class VendorDriverRegistrations
{
    private readonly List<(string Name, Func<IServiceProvider, VendorDriverContext, IMdevParentOps> Create, MdevParentOptions? Options)> _drivers = [];

    public void Add(string name, Func<IServiceProvider, VendorDriverContext, IMdevParentOps> create, MdevParentOptions? options)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(create);
        if (_drivers.Any(d => d.Name == name))
        {
            throw new ArgumentException($"A vendor driver named '{name}' is already registered.", nameof(name));
        }

        _drivers.Add((name, create, options));
    }

    public VendorDriverRegistry Build(IServiceProvider services)
    {
        var registry = new VendorDriverRegistry();
        foreach ((string name, Func<IServiceProvider, VendorDriverContext, IMdevParentOps> create, MdevParentOptions? options) in _drivers)
        {
            _ = registry.Add(name, context => create(services, context), options);
        }

        return registry;
    }
}
