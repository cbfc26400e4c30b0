using MdevCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers simulated hosts in a service collection.</summary>
/// <remarks>Thread safety: configure the collection from one thread, as usual.</remarks>
public static class MdevServiceCollectionExtensions
{
    /// <summary>Adds a named <see cref="MdevHost"/>, resolvable as a keyed singleton under <paramref name="name"/>.</summary>
    /// <param name="services">The collection.</param>
    /// <param name="name">The key; each name may be added once.</param>
    /// <param name="configure">Sets the host's options; <see langword="null"/> keeps the defaults.</param>
    /// <returns>The same collection, for chaining.</returns>
    /// <exception cref="InvalidOperationException">A host of that name is already registered.</exception>
    public static IServiceCollection AddMdevHost(this IServiceCollection services, string name, Action<MdevHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (services.Any(d => d.ServiceType == typeof(MdevHost) && Equals(d.ServiceKey, name)))
        {
            throw new InvalidOperationException($"An MdevHost named '{name}' is already registered.");
        }

        var options = new MdevHostOptions();
        configure?.Invoke(options);
        options.Validate();
        _ = services.AddKeyedSingleton(name, (sp, _) => new MdevHost(options, sp.GetService<ILoggerFactory>()));
        return services;
    }

    /// <summary>Adds the default (unkeyed) <see cref="MdevHost"/>.</summary>
    /// <param name="services">The collection.</param>
    /// <param name="configure">Sets the host's options.</param>
    /// <returns>The same collection, for chaining.</returns>
    public static IServiceCollection AddMdevHost(this IServiceCollection services, Action<MdevHostOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new MdevHostOptions();
        configure(options);
        options.Validate();
        services.TryAddSingleton(sp => new MdevHost(options, sp.GetService<ILoggerFactory>()));
        return services;
    }
}
