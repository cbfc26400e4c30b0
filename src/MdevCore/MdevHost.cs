using MdevCore.DriverModel;
using MdevCore.Iommu;
using MdevCore.Mediated;
using MdevCore.Sysfs;
using MdevCore.Vfio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MdevCore;

/// <summary>One simulated Linux host: everything the kernel keeps in globals, owned by one object.</summary>
/// <remarks>
/// A host has its own sysfs, buses, devices, mdev core, IOMMU groups and uevent stream. Hosts share
/// nothing, so any number can live in one process. Thread safety: every member may be called from
/// any thread.
/// </remarks>
public sealed class MdevHost
{
    /// <summary>Builds a host with default options and no logging.</summary>
    public MdevHost()
        : this(new MdevHostOptions())
    {
    }

    /// <summary>Builds a host.</summary>
    /// <param name="options">The settings; copied, so later changes do not affect the host.</param>
    /// <param name="loggerFactory">Where log messages go; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public MdevHost(MdevHostOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options.Clone();
        ILoggerFactory factory = loggerFactory ?? NullLoggerFactory.Instance;
        Tree = new SysfsTree(factory.CreateLogger("MdevCore.Sysfs"));
        Sysfs = new SysfsView(Tree);
        ILogger driverModel = factory.CreateLogger("MdevCore.DriverModel");
        UEvents = new UEventLog(Options.UEventBacklogCapacity, driverModel);
        DeviceModel = new DeviceModel(Tree, UEvents, driverModel, Options.Profile);
        IommuGroups = new IommuGroupRegistry(Tree, Options.Profile);
        Mdev = new MdevManager(Options, DeviceModel, Tree, UEvents, IommuGroups, factory.CreateLogger("MdevCore.Mediated"));
        Vfio = new VfioHost(IommuGroups, Options.Profile);
    }

    /// <summary>The settings the host was built with (a copy; do not change it).</summary>
    public MdevHostOptions Options { get; }

    /// <summary>The kernel generation the host behaves like.</summary>
    public KernelProfile Profile => Options.Profile;

    /// <summary>The file-system view of <c>/sys</c>.</summary>
    public SysfsView Sysfs { get; }

    /// <summary>The uevent stream.</summary>
    public UEventLog UEvents { get; }

    /// <summary>The driver core: buses, devices, drivers, binding.</summary>
    public DeviceModel DeviceModel { get; }

    /// <summary>The mdev core: parents, types, mdevs, mdev bus drivers.</summary>
    public MdevManager Mdev { get; }

    /// <summary>The VFIO layer: groups, containers, event triggers.</summary>
    public VfioHost Vfio { get; }

    /// <summary>The IOMMU groups.</summary>
    public IommuGroupRegistry IommuGroups { get; }

    internal SysfsTree Tree { get; }
}
