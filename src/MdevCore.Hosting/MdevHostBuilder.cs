using System.Diagnostics.CodeAnalysis;
using MdevCore.DriverModel;
using MdevCore.Mediated;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MdevCore.Hosting;

/// <summary>Describes one named host: its options, and the parents the application's own vendor drivers add to it after its
/// topology file (if any) is built.</summary>
/// <remarks>Made by <see cref="MdevHostingBuilder.AddHost(string, Action{MdevHostBuilder})"/>; the parents are added in call order when the
/// host is built (at application start). Thread safety: configure from one thread.</remarks>
public sealed class MdevHostBuilder
{
    private readonly List<Func<MdevHost, IServiceProvider, Result<MdevParent>>> _parents = [];
    private readonly List<string> _parentNames = [];

    internal MdevHostBuilder(string name, OptionsBuilder<MdevHostingOptions> options)
    {
        Name = name;
        Options = options;
    }

    /// <summary>The host's name: its service key, options name and log scope.</summary>
    public string Name { get; }

    /// <summary>The host's options, for configuration and validation beyond <see cref="Configure"/>.</summary>
    public OptionsBuilder<MdevHostingOptions> Options { get; }

    internal IReadOnlyList<Func<MdevHost, IServiceProvider, Result<MdevParent>>> Parents => _parents;

    internal IReadOnlyList<string> ParentNames => _parentNames;

    /// <summary>Sets the host's options.</summary>
    /// <param name="configure">Sets them (topology file, profile, remove wait, mount point).</param>
    /// <returns>This builder, for chaining.</returns>
    public MdevHostBuilder Configure(Action<MdevHostingOptions> configure)
    {
        _ = Options.Configure(configure);
        return this;
    }

    /// <summary>Adds a PCI function at <paramref name="address"/>, binds it to <paramref name="driver"/> and registers it as an mdev
    /// parent with a vendor driver made from the application's services (its constructor's parameters are resolved from them).</summary>
    /// <typeparam name="TDriver">The vendor driver.</typeparam>
    /// <param name="address">The function's address, <c>DDDD:BB:SS.F</c> in lower-case hex.</param>
    /// <param name="ids">Its PCI ids.</param>
    /// <param name="driver">The physical driver the function is bound to, which prefixes the type directory names
    /// (<c>acme</c> makes <c>acme-small</c>), as a topology file's <c>"driver"</c> does.</param>
    /// <returns>This builder, for chaining.</returns>
    public MdevHostBuilder AddPciParent<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TDriver>(string address, PciIds ids, string driver)
        where TDriver : class, IMdevParentOps =>
        AddPciParent<TDriver>(address, ids, driver, null);

    /// <summary>Adds a PCI function, binds it and registers it with a vendor driver made from the application's services, with
    /// registration options (for example the core's instance budget).</summary>
    /// <typeparam name="TDriver">The vendor driver.</typeparam>
    /// <param name="address">The function's address, <c>DDDD:BB:SS.F</c> in lower-case hex.</param>
    /// <param name="ids">Its PCI ids.</param>
    /// <param name="driver">The physical driver the function is bound to (the type prefix).</param>
    /// <param name="options">The parent registration's options; <see langword="null"/> for the defaults.</param>
    /// <returns>This builder, for chaining.</returns>
    public MdevHostBuilder AddPciParent<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TDriver>(string address, PciIds ids, string driver, MdevParentOptions? options)
        where TDriver : class, IMdevParentOps =>
        AddPciParent(address, ids, driver, static sp => ActivatorUtilities.CreateInstance<TDriver>(sp), options);

    /// <summary>Adds a PCI function at <paramref name="address"/> and registers it as an mdev parent with the driver
    /// <paramref name="create"/> makes (one per host built).</summary>
    /// <param name="address">The function's address, <c>DDDD:BB:SS.F</c> in lower-case hex.</param>
    /// <param name="ids">Its PCI ids.</param>
    /// <param name="driver">The physical driver the function is bound to (the type prefix).</param>
    /// <param name="create">Makes the vendor driver from the application's services.</param>
    /// <param name="options">The parent registration's options; <see langword="null"/> for the defaults.</param>
    /// <returns>This builder, for chaining.</returns>
    public MdevHostBuilder AddPciParent(string address, PciIds ids, string driver, Func<IServiceProvider, IMdevParentOps> create, MdevParentOptions? options)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        ArgumentException.ThrowIfNullOrEmpty(driver);
        ArgumentNullException.ThrowIfNull(create);
        return AddParent($"PCI parent {address}", (host, services) =>
        {
            Result<PciDevice> device = host.DeviceModel.AddPciDevice(address, ids);
            if (!device.Succeeded)
            {
                return device.Error;
            }

            Errno bound = PhysicalDriver.Bind(host.DeviceModel, host.DeviceModel.Pci, device.Value, driver);
            return bound != Errno.None ? bound : host.Mdev.RegisterParent(device.Value, create(services), options ?? new MdevParentOptions());
        });
    }

    /// <summary>Adds a parent any way the application likes (a virtual or platform device, a sample's <c>Register</c>).</summary>
    /// <param name="description">What the parent is, for the error when the host refuses it.</param>
    /// <param name="register">Adds the device to the host and registers the parent; its errno fails the application's start.</param>
    /// <returns>This builder, for chaining.</returns>
    public MdevHostBuilder AddParent(string description, Func<MdevHost, IServiceProvider, Result<MdevParent>> register)
    {
        ArgumentException.ThrowIfNullOrEmpty(description);
        ArgumentNullException.ThrowIfNull(register);
        _parents.Add(register);
        _parentNames.Add(description);
        return this;
    }
}
