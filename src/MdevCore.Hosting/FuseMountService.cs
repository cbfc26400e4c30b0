using MdevCore.Diagnostics;
using MdevCore.Fuse;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MdevCore.Hosting;

/// <summary>Builds a named host when the application starts and keeps its <c>/sys</c> mounted through FUSE until shutdown.</summary>
/// <remarks>Started by the generic host; a host whose options name no <see cref="MdevHostingOptions.MountPoint"/> is not mounted.
/// Thread safety: called by the generic host only.</remarks>
internal sealed partial class FuseMountService(
    string name,
    IServiceProvider services,
    IOptionsMonitor<MdevHostingOptions> options,
    ILogger<FuseMountService> logger) : IHostedService, IDisposable
{
    private IDisposable? _mount;
    private string? _mountPoint;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The host is built at start, so a refused parent or a topology the host cannot build fails the start, not a later request.
        MdevHost host = services.GetRequiredKeyedService<MdevHost>(name);
        MdevHostingOptions settings = options.Get(name);
        if (settings.MountPoint is not { } mountPoint)
        {
            return Task.CompletedTask;
        }

        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("FUSE mounts of a simulated /sys need Linux.");
        }

        _mount = SysfsFuseMount.Start(host.Sysfs, mountPoint);
        _mountPoint = mountPoint;
        using (logger.BeginScope(new HostLogScope(name)))
        {
            LogMounted(logger, name, mountPoint);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _mount, null) is { } mount)
        {
            mount.Dispose();
            using (logger.BeginScope(new HostLogScope(name)))
            {
                LogUnmounted(logger, name, _mountPoint ?? string.Empty);
            }
        }

        return Task.CompletedTask;
    }

    public void Dispose() => Interlocked.Exchange(ref _mount, null)?.Dispose();

    [LoggerMessage(EventId = MdevEventIds.HostingMounted, Level = LogLevel.Information, Message = "mdev host {Name}: /sys served through FUSE at {MountPoint}")]
    private static partial void LogMounted(ILogger logger, string name, string mountPoint);

    [LoggerMessage(EventId = MdevEventIds.HostingUnmounted, Level = LogLevel.Information, Message = "mdev host {Name}: FUSE mount at {MountPoint} unmounted")]
    private static partial void LogUnmounted(ILogger logger, string name, string mountPoint);
}
