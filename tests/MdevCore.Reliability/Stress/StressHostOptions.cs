using MdevCore.Reliability.Faults;

namespace MdevCore.Reliability.Stress;

/// <summary>The shape of a <see cref="StressHost"/>.</summary>
public sealed class StressHostOptions
{
    /// <summary>The kernel profile.</summary>
    public KernelProfile Profile { get; init; } = KernelProfile.Modern;

    /// <summary>How many PCI slots.</summary>
    public int Slots { get; init; } = 4;

    /// <summary>The core's instance budget of each parent.</summary>
    public int MaxInstances { get; init; } = 3;

    /// <summary>The host's bound on waits for open devices and in-flight operations (finite, so a wedge shows as a timeout, not a hang).</summary>
    public TimeSpan RemoveWaitTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Every mdev binds to a <see cref="FaultyMdevDriver"/> whose calls count on slot 0's vendor.</summary>
    public bool FaultyDriver { get; init; }

    /// <summary>Makes slot <c>i</c>'s vendor.</summary>
    public Func<int, FaultyVendor> VendorFactory { get; init; } = _ => new FaultyVendor();
}
