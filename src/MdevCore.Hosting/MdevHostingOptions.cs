namespace MdevCore.Hosting;

/// <summary>How one named host of an application is built and served; bindable from configuration.</summary>
/// <remarks>Validated when the application starts (<see cref="MdevHostingOptionsValidator"/>). Thread safety: configure once, then read only.</remarks>
public sealed class MdevHostingOptions
{
    /// <summary>A topology file (JSON, or an archive of <c>mdevsim record --archive</c>) to build the host from; a relative path is
    /// taken from the application's content root (<c>IHostEnvironment.ContentRootPath</c>). <see langword="null"/> builds an empty host
    /// with <see cref="Profile"/>.</summary>
    public string? TopologyFile { get; set; }

    /// <summary>The kernel generation of a host built without a topology file (a topology file names its own).</summary>
    public KernelProfile Profile { get; set; } = KernelProfile.Modern;

    /// <summary>How long a remove waits for an open device (<see cref="MdevHostOptions.RemoveWaitTimeout"/>). The default here is
    /// 30 seconds, where the core's is infinite as the kernel's wait is: a long-running service should not let one client that
    /// keeps a device open hold a remove request forever; set <see cref="Timeout.InfiniteTimeSpan"/> for the kernel's behaviour.</summary>
    public TimeSpan RemoveWaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A directory to serve the host's <c>/sys</c> on through FUSE for the application's lifetime (Linux, root);
    /// <see langword="null"/> for no mount.</summary>
    public string? MountPoint { get; set; }
}
