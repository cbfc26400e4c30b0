using MdevCore.Diagnostics;
using MdevCore.Fuse;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MdevCore.Hosting;

/// <summary>Keeps a named host's <c>/sys</c> mounted through FUSE from application start to shutdown.</summary>
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
        MdevHostingOptions settings = options.Get(name);
        if (settings.MountPoint is not { } mountPoint)
        {
            return Task.CompletedTask;
        }

        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("FUSE mounts of a simulated /sys need Linux.");
        }

        MdevHost host = services.GetRequiredKeyedService<MdevHost>(name);
        _mount = SysfsFuseMount.Start(host.Sysfs, mountPoint);
        _mountPoint = mountPoint;
        LogMounted(logger, name, mountPoint);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _mount, null) is { } mount)
        {
            mount.Dispose();
            LogUnmounted(logger, name, _mountPoint ?? string.Empty);
        }

        return Task.CompletedTask;
    }

    public void Dispose() => Interlocked.Exchange(ref _mount, null)?.Dispose();

    [LoggerMessage(EventId = MdevEventIds.HostingMounted, Level = LogLevel.Information, Message = "mdev host {Name}: /sys served through FUSE at {MountPoint}")]
    private static partial void LogMounted(ILogger logger, string name, string mountPoint);

    [LoggerMessage(EventId = MdevEventIds.HostingUnmounted, Level = LogLevel.Information, Message = "mdev host {Name}: FUSE mount at {MountPoint} unmounted")]
    private static partial void LogUnmounted(ILogger logger, string name, string mountPoint);
}
