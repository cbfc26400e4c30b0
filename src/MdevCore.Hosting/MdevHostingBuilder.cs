using System.Diagnostics.CodeAnalysis;
using MdevCore.Mediated;
using MdevCore.Topology;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MdevCore.Hosting;

/// <summary>
/// Adds named simulated hosts and the application's own vendor drivers to a service collection:
/// <c>services.AddMdevHosting().AddVendorDriver("acme", ...).AddHost("lab", h =&gt; h.AddPciParent&lt;AcmeDriver&gt;(...))</c>.
/// </summary>
/// <remarks>Made by <see cref="MdevHostingServiceCollectionExtensions.AddMdevHosting(IServiceCollection)"/>. Thread safety: configure
/// from one thread, as the service collection itself.</remarks>
public sealed class MdevHostingBuilder
{
    private readonly VendorDriverRegistrations _drivers;

    internal MdevHostingBuilder(IServiceCollection services, VendorDriverRegistrations drivers)
    {
        Services = services;
        _drivers = drivers;
    }

    /// <summary>The service collection the hosts are added to.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Registers a vendor driver by name for every host of the application: a topology file's parent that says
    /// <c>"vendor": "<paramref name="name"/>"</c> is registered with a driver <paramref name="create"/> makes, one per parent and host.</summary>
    /// <param name="name">The name topology files use.</param>
    /// <param name="create">Makes the driver for one parent, from the application's services and the placed device.</param>
    /// <param name="options">The parent registration's options (for example the core's instance budget); <see langword="null"/> for the defaults.</param>
    /// <returns>This builder, for chaining.</returns>
    /// <exception cref="ArgumentException">The name is empty or already registered.</exception>
    public MdevHostingBuilder AddVendorDriver(string name, Func<IServiceProvider, VendorDriverContext, IMdevParentOps> create, MdevParentOptions? options)
    {
        _drivers.Add(name, create, options);
        return this;
    }

    /// <summary>Registers a vendor driver by name (see <see cref="AddVendorDriver(string, Func{IServiceProvider, VendorDriverContext, IMdevParentOps}, MdevParentOptions?)"/>),
    /// made with its constructor's parameters from the application's services.</summary>
    /// <typeparam name="TDriver">The driver type.</typeparam>
    /// <param name="name">The name topology files use.</param>
    /// <returns>This builder, for chaining.</returns>
    public MdevHostingBuilder AddVendorDriver<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TDriver>(string name)
        where TDriver : class, IMdevParentOps => AddVendorDriver<TDriver>(name, null);

    /// <summary>Registers a vendor driver by name, made from the application's services, with registration options.</summary>
    /// <typeparam name="TDriver">The driver type.</typeparam>
    /// <param name="name">The name topology files use.</param>
    /// <param name="options">The parent registration's options; <see langword="null"/> for the defaults.</param>
    /// <returns>This builder, for chaining.</returns>
    public MdevHostingBuilder AddVendorDriver<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TDriver>(string name, MdevParentOptions? options)
        where TDriver : class, IMdevParentOps =>
        AddVendorDriver(name, static (sp, _) => ActivatorUtilities.CreateInstance<TDriver>(sp), options);

    /// <summary>Adds a named host (a keyed <see cref="MdevHost"/> singleton under <paramref name="name"/>) and describes it.</summary>
    /// <param name="name">The host's name: its service key, options name and log scope.</param>
    /// <param name="configure">Sets the host's options and adds its parents.</param>
    /// <returns>This builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">A host of that name is already registered.</exception>
    public MdevHostingBuilder AddHost(string name, Action<MdevHostBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(HostRegistration.Add(Services, name));
        return this;
    }

    /// <summary>Adds a named host whose <see cref="MdevHostingOptions"/> are bound from a configuration section
    /// (<c>TopologyFile</c>, <c>Profile</c>, <c>RemoveWaitTimeout</c>, <c>MountPoint</c>), and describes it further.</summary>
    /// <param name="name">The host's name: its service key, options name and log scope.</param>
    /// <param name="section">The section, for example <c>configuration.GetSection("Mdev:Hosts:lab")</c>.</param>
    /// <param name="configure">Adds parents or sets more options after the binding; <see langword="null"/> for none.</param>
    /// <returns>This builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">A host of that name is already registered.</exception>
    public MdevHostingBuilder AddHost(string name, IConfiguration section, Action<MdevHostBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        MdevHostBuilder host = HostRegistration.Add(Services, name);
        _ = Services.Configure<MdevHostingOptions>(name, section);
        configure?.Invoke(host);
        return this;
    }
}
