using MdevCore;
using MdevCore.Hosting;
using MdevCore.Topology;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
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
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (services.Any(d => d.ServiceType == typeof(MdevHost) && Equals(d.ServiceKey, name)))
        {
            throw new InvalidOperationException($"An MdevHost named '{name}' is already registered.");
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MdevHostingOptions>, MdevHostingOptionsValidator>());
        OptionsBuilder<MdevHostingOptions> builder = services.AddOptions<MdevHostingOptions>(name).ValidateOnStart();
        if (configure is not null)
        {
            _ = builder.Configure(configure);
        }

        _ = services.AddKeyedSingleton(name, (sp, _) => Build(
            sp.GetRequiredService<IOptionsMonitor<MdevHostingOptions>>().Get(name), sp.GetService<ILoggerFactory>(), sp.GetService<IHostEnvironment>()?.ContentRootPath));
        _ = services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<FuseMountService>(sp, name));
        return builder;
    }

    private static MdevHost Build(MdevHostingOptions options, ILoggerFactory? loggerFactory, string? contentRoot) =>
        options.TopologyFile is { } file
            ? TopologyLoader.LoadFile(TopologyPath.Resolve(file, contentRoot)).Build(loggerFactory, options.RemoveWaitTimeout)
            : new MdevHost(new MdevHostOptions { Profile = options.Profile, RemoveWaitTimeout = options.RemoveWaitTimeout }, loggerFactory);
}
