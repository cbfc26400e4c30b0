using MdevCore.Mediated;
using MdevCore.Topology;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MdevCore.Hosting;

/// <summary>Registers one named host: its validated options, the keyed singleton built from them (topology file, then the
/// builder's parents), logging under a per-host scope, and the hosted service that builds it at start and keeps its mount.</summary>
internal static class HostRegistration
{
    public static VendorDriverRegistrations Drivers(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(VendorDriverRegistrations))?.ImplementationInstance is VendorDriverRegistrations existing)
        {
            return existing;
        }

        var drivers = new VendorDriverRegistrations();
        _ = services.AddSingleton(drivers);
        _ = services.AddSingleton(sp => sp.GetRequiredService<VendorDriverRegistrations>().Build(sp));
        return drivers;
    }

    public static MdevHostBuilder Add(IServiceCollection services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (services.Any(d => d.ServiceType == typeof(MdevHost) && Equals(d.ServiceKey, name)))
        {
            throw new InvalidOperationException($"An MdevHost named '{name}' is already registered.");
        }

        _ = Drivers(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MdevHostingOptions>, MdevHostingOptionsValidator>());
        var host = new MdevHostBuilder(name, services.AddOptions<MdevHostingOptions>(name).ValidateOnStart());
        _ = services.AddKeyedSingleton(name, (sp, _) => Build(host, sp));
        _ = services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<FuseMountService>(sp, name));
        return host;
    }

    private static MdevHost Build(MdevHostBuilder builder, IServiceProvider services)
    {
        MdevHostingOptions options = services.GetRequiredService<IOptionsMonitor<MdevHostingOptions>>().Get(builder.Name);
        ILoggerFactory? loggers = services.GetService<ILoggerFactory>() is { } factory ? new HostScopedLoggerFactory(factory, builder.Name) : null;
        MdevHost host = options.TopologyFile is { } file
            ? TopologyLoader.LoadFile(TopologyPath.Resolve(file, services.GetService<IHostEnvironment>()?.ContentRootPath), services.GetRequiredService<VendorDriverRegistry>())
                .Build(loggers, options.RemoveWaitTimeout)
            : new MdevHost(new MdevHostOptions { Profile = options.Profile, RemoveWaitTimeout = options.RemoveWaitTimeout }, loggers);
        for (int i = 0; i < builder.Parents.Count; i++)
        {
            Result<MdevParent> parent = builder.Parents[i](host, services);
            if (!parent.Succeeded)
            {
                throw new MdevException(parent.Error, $"mdev host \"{builder.Name}\": {builder.ParentNames[i]} was refused: {parent.Error} ({parent.Error.Describe()})");
            }
        }

        return host;
    }
}
