using MdevCore;
using MdevCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers simulated hosts for a long-running application (the generic host).</summary>
/// <remarks>Thread safety: configure the collection from one thread, as usual.</remarks>
public static class MdevHostingServiceCollectionExtensions
{
    /// <summary>
    /// Adds a named <see cref="MdevHost"/> built from <see cref="MdevHostingOptions"/> (from a topology file, or empty),
    /// resolvable as a keyed singleton under <paramref name="name"/>, logging through the application's
    /// <see cref="ILoggerFactory"/>. The options are validated when the application starts; when they name a mount
    /// point, a hosted service serves the host's <c>/sys</c> there through FUSE until the application stops.
    /// </summary>
    /// <param name="services">The collection.</param>
    /// <param name="name">The host's name (its service key and options name); each name may be added once.</param>
    /// <param name="configure">Sets the options; they may also be bound from configuration with
    /// <c>services.Configure&lt;MdevHostingOptions&gt;(name, section)</c>.</param>
    /// <returns>The options builder, for further configuration or validation.</returns>
    /// <exception cref="InvalidOperationException">A host of that name is already registered.</exception>
    public static OptionsBuilder<MdevHostingOptions> AddMdevHosting(this IServiceCollection services, string name, Action<MdevHostingOptions>? configure = null)
    {
        MdevHostBuilder host = HostRegistration.Add(services, name);
        if (configure is not null)
        {
            _ = host.Configure(configure);
        }

        return host.Options;
    }

    /// <summary>
    /// Starts the builder for named hosts and the application's own vendor drivers:
    /// <c>services.AddMdevHosting().AddVendorDriver("acme", ...).AddHost("lab", h =&gt; h.AddPciParent&lt;AcmeDriver&gt;(...))</c>.
    /// Every host is a keyed <see cref="MdevHost"/> singleton built when the application starts (a refused parent or a bad
    /// topology file fails the start), logs through the application's <see cref="ILoggerFactory"/> under a scope
    /// <c>MdevHost = name</c>, and is served through FUSE when its options name a mount point.
    /// </summary>
    /// <param name="services">The collection.</param>
    /// <returns>The builder; calling this again gives a builder over the same registrations.</returns>
    public static MdevHostingBuilder AddMdevHosting(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new MdevHostingBuilder(services, HostRegistration.Drivers(services));
    }
}
