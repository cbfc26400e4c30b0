namespace MdevCore.Reliability.Stress;

/// <summary>How much churn to run.</summary>
public sealed class ChurnOptions
{
    /// <summary>The kernel profile of the host.</summary>
    public KernelProfile Profile { get; init; } = KernelProfile.Modern;

    /// <summary>Worker threads.</summary>
    public int Threads { get; init; } = 4;

    /// <summary>Operations in all (split evenly between the threads).</summary>
    public long Operations { get; init; } = 20_000;

    /// <summary>PCI slots whose devices and parents come and go.</summary>
    public int Slots { get; init; } = 4;

    /// <summary>How many UUIDs the workers draw from (few, so that they collide).</summary>
    public int Uuids { get; init; } = 24;

    /// <summary>The seed of worker 0 (worker <c>i</c> uses <c>Seed + i</c>).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>One operation taking longer than this counts as a hang.</summary>
    public TimeSpan HangAfter { get; init; } = TimeSpan.FromSeconds(20);
}
