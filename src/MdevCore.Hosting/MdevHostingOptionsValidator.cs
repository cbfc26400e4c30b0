using MdevCore.Fuse;
using MdevCore.Topology;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MdevCore.Hosting;

/// <summary>Checks each named host's options when the application starts: a readable, valid topology file,
/// an existing mount directory and a working FUSE when a mount is asked for, sane timeouts.</summary>
/// <remarks>Thread safety: stateless.</remarks>
public sealed class MdevHostingOptionsValidator : IValidateOptions<MdevHostingOptions>
{
    private readonly string? _contentRoot;
    private readonly VendorDriverRegistry _drivers = new();

    /// <summary>A validator that resolves a relative <see cref="MdevHostingOptions.TopologyFile"/> against the current directory.</summary>
    public MdevHostingOptionsValidator()
    {
    }

    /// <summary>A validator that resolves a relative <see cref="MdevHostingOptions.TopologyFile"/> against the application's content root,
    /// as the host does when it builds.</summary>
    /// <param name="environment">The application's environment.</param>
    public MdevHostingOptionsValidator(IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _contentRoot = environment.ContentRootPath;
    }

    /// <summary>A validator that checks topology files' <c>"vendor"</c> references against the application's registered vendor drivers
    /// (<see cref="MdevHostingBuilder.AddVendorDriver(string, Func{IServiceProvider, VendorDriverContext, Mediated.IMdevParentOps}, Mediated.MdevParentOptions?)"/>)
    /// and resolves a relative <see cref="MdevHostingOptions.TopologyFile"/> against the current directory.</summary>
    /// <param name="drivers">The application's vendor drivers.</param>
    public MdevHostingOptionsValidator(VendorDriverRegistry drivers)
    {
        ArgumentNullException.ThrowIfNull(drivers);
        _drivers = drivers;
    }

    /// <summary>A validator that checks topology files' <c>"vendor"</c> references against the application's registered vendor drivers
    /// and resolves a relative <see cref="MdevHostingOptions.TopologyFile"/> against the application's content root.</summary>
    /// <param name="environment">The application's environment.</param>
    /// <param name="drivers">The application's vendor drivers.</param>
    public MdevHostingOptionsValidator(IHostEnvironment environment, VendorDriverRegistry drivers)
        : this(environment)
    {
        ArgumentNullException.ThrowIfNull(drivers);
        _drivers = drivers;
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MdevHostingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        string host = $"mdev host \"{name}\"";
        if (options.RemoveWaitTimeout < TimeSpan.Zero && options.RemoveWaitTimeout != Timeout.InfiniteTimeSpan)
        {
            failures.Add($"{host}: RemoveWaitTimeout must be positive or infinite, not {options.RemoveWaitTimeout}.");
        }

        if (options.TopologyFile is { } file)
        {
            try
            {
                _ = TopologyLoader.LoadFile(TopologyPath.Resolve(file, _contentRoot), _drivers);
            }
            catch (TopologyException e)
            {
                failures.Add($"{host}: {e.Message}");
            }
        }

        if (options.MountPoint is { } mount)
        {
            if (!Directory.Exists(mount))
            {
                failures.Add($"{host}: the mount point {mount} is not an existing directory.");
            }
            else if (!OperatingSystem.IsLinux())
            {
                failures.Add($"{host}: FUSE mounts of a simulated /sys need Linux.");
            }
            else if (FuseSupport.GetUnavailableReason() is { } reason)
            {
                failures.Add($"{host}: cannot serve {mount} through FUSE: {reason}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
