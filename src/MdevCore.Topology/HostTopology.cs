namespace MdevCore.Topology;

/// <summary>A validated topology: the kernel profile and the parents, ready to build hosts from.</summary>
/// <remarks>Immutable: build as many independent hosts from one topology as you like. Thread safety: thread-safe.</remarks>
public sealed class HostTopology
{
    internal HostTopology(string source, KernelProfile profile, IReadOnlyList<ParentModel> parents, VendorDriverRegistry drivers)
    {
        Source = source;
        Profile = profile;
        Parents = parents;
        Drivers = drivers;
    }

    /// <summary>Where the topology came from: a file path, or <see cref="TopologyLoader.DefaultName"/>.</summary>
    public string Source { get; }

    /// <summary>The kernel generation the hosts behave like.</summary>
    public KernelProfile Profile { get; }

    /// <summary>The parent devices' names (a PCI address, a platform or virtual device name), in file order.</summary>
    public IReadOnlyList<string> ParentNames => [.. Parents.Select(p => p.Name)];

    internal IReadOnlyList<ParentModel> Parents { get; }

    /// <summary>The vendor drivers the topology's <c>vendor</c> parents were checked against.</summary>
    internal VendorDriverRegistry Drivers { get; }

    /// <summary>Builds a new host: adds each parent device, binds its driver, registers its vendor driver and creates
    /// the parent's pre-created devices through their types' <c>create</c> files.</summary>
    /// <param name="loggerFactory">Where the host logs; <see langword="null"/> for nowhere.</param>
    /// <param name="removeWaitTimeout">How long a remove waits for an open device (<see cref="MdevHostOptions.RemoveWaitTimeout"/>);
    /// <see langword="null"/> waits 30 seconds.</param>
    /// <returns>The host.</returns>
    /// <exception cref="TopologyException">The host refused a device, parent, pre-created device or attribute value the file
    /// describes (the message names the JSON path and the errno).</exception>
    public MdevHost Build(Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null, TimeSpan? removeWaitTimeout = null) =>
        HostBuilder.Build(this, loggerFactory, removeWaitTimeout ?? TimeSpan.FromSeconds(30));
}
