namespace MdevCore;

/// <summary>Settings of one simulated host.</summary>
/// <remarks>Thread safety: not thread-safe; a host copies the values it needs when it is built.</remarks>
public sealed class MdevHostOptions
{
    /// <summary>Which kernel generation the host behaves like. Default: <see cref="KernelProfile.Modern"/>.</summary>
    public KernelProfile Profile { get; set; } = KernelProfile.Modern;

    /// <summary>
    /// How many uevents are kept for <see cref="DriverModel.UEventLog.Drain"/>; older ones are dropped and
    /// counted. 0 keeps none (subscribers still see every event). Default 65,536.
    /// </summary>
    public int UEventBacklogCapacity { get; set; } = 65_536;

    /// <summary>
    /// How long a remove waits for an open device to be closed before it revokes the open handles and goes
    /// ahead, and how long a parent unregistration waits for the creates and removes in flight before it goes
    /// ahead (each logs an error). Default <see cref="Timeout.InfiniteTimeSpan"/>: wait as long as it takes,
    /// as the kernel does. A finite bound turns the self-deadlocks the kernel has (a vendor callback that
    /// removes its own device or unregisters its own parent) into errnos, and makes a forgotten handle fail
    /// fast instead of hanging.
    /// </summary>
    public TimeSpan RemoveWaitTimeout { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Profile))
        {
            throw new ArgumentOutOfRangeException(nameof(Profile), Profile, "Unknown kernel profile.");
        }

        if (UEventBacklogCapacity < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(UEventBacklogCapacity), UEventBacklogCapacity, "Must not be negative.");
        }

        if (RemoveWaitTimeout < TimeSpan.Zero && RemoveWaitTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(RemoveWaitTimeout), RemoveWaitTimeout, "Must be positive or infinite.");
        }
    }

    internal MdevHostOptions Clone() => (MdevHostOptions)MemberwiseClone();
}
