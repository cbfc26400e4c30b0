using MdevCore.Pci;

namespace MdevCore.DriverModel;

/// <summary>What a simulated PCI function reports besides its ids: NUMA placement, link, BARs and interrupt.</summary>
/// <remarks>Thread safety: immutable once built; read when the device is added.</remarks>
public sealed class PciDeviceOptions
{
    /// <summary>The largest NUMA node number plus one (the kernel's <c>MAX_NUMNODES</c> on x86-64 distributions).</summary>
    public const int MaxNumaNodes = 1024;

    /// <summary>The NUMA node (<c>numa_node</c>); -1 (<c>NUMA_NO_NODE</c>, the default) for none.</summary>
    public int NumaNode { get; init; } = -1;

    /// <summary>
    /// The PCI Express link (speed and width) of the function's PCI Express capability; <see langword="null"/> for a
    /// conventional PCI function (256 bytes of config space, no capability, no link attributes).
    /// </summary>
    public PciExpressLink? Link { get; init; } = PciExpressLink.Default;

    /// <summary>
    /// The negotiated link when it trained below <see cref="Link"/> (<c>current_link_*</c>); <see langword="null"/> for
    /// a link at its maximum.
    /// </summary>
    public PciExpressLink? CurrentLink { get; init; }

    /// <summary>The BARs, in slot order from BAR0 (a 64-bit BAR takes two slots); none by default.</summary>
    public IReadOnlyList<PciBar> Bars { get; init; } = [];

    /// <summary>The legacy interrupt (<c>irq</c>): 0 (the default) for none, else the IRQ INTA# is routed to.</summary>
    public uint Irq { get; init; }

    /// <summary>The CPUs near the device (<c>local_cpus</c>, <c>local_cpulist</c>); CPU 0 by default.</summary>
    public IReadOnlyList<int> LocalCpus { get; init; } = [0];

    /// <summary>The options every function gets unless told otherwise.</summary>
    internal static PciDeviceOptions Default { get; } = new();

    /// <summary>Checks that the options describe a function the host can add.</summary>
    /// <exception cref="ArgumentException">They do not; the message says why.</exception>
    internal void Validate()
    {
        string? problem = NumaNode is < -1 or >= MaxNumaNodes ? $"NUMA node {NumaNode} is not -1 or below {MaxNumaNodes}"
            : Link is { IsValid: false } ? $"link {Link} is not a PCI Express link"
            : CurrentLink is { } current && (Link is not { } max || !current.IsValid || current.Speed > max.Speed || current.Width > max.Width)
                ? $"current link {CurrentLink} does not fit the link {Link}"
            : LocalCpus is null || LocalCpus.Count == 0 || LocalCpus.Any(c => c is < 0 or >= 8192) ? "the local CPUs must be a non-empty list of CPU numbers below 8192"
            : Bars is null || Bars.Any(b => !b.IsValid) ? "every BAR must be valid (PciBar.IsValid)"
            : Bars.Sum(b => b.Kind == PciBarKind.Memory64 ? 2 : 1) > PciRegisters.BarCount ? "the BARs need more than six slots"
            : null;
        if (problem is not null)
        {
            throw new ArgumentException($"These PCI device options describe no possible function: {problem}.", "options");
        }
    }
}
