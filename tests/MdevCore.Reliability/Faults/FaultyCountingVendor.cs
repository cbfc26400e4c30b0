using MdevCore.Mediated;

namespace MdevCore.Reliability.Faults;

/// <summary>A <see cref="FaultyVendor"/> that counts instances itself (one pool shared by its types).</summary>
/// <param name="profile">The host's profile: the modern core ignores a remove's result, the seed's veto keeps the device.</param>
/// <param name="pool">The instances the vendor has.</param>
public sealed class FaultyCountingVendor(KernelProfile profile, int pool = 4) : FaultyVendor, IMdevAvailableInstances
{
    private int _free = pool;

    /// <summary>The vendor's own pool size.</summary>
    public int Pool { get; } = pool;

    /// <summary>What the vendor has left.</summary>
    public int Free => Volatile.Read(ref _free);

    /// <inheritdoc/>
    public int GetAvailableInstances(MdevType type)
    {
        Errno error = Hit("GetAvailableInstances");
        return error != Errno.None ? 0 : Math.Max(0, Free);
    }

    /// <inheritdoc/>
    public override Errno Create(MdevDevice mdev)
    {
        Errno error = base.Create(mdev);
        if (error != Errno.None)
        {
            return error;
        }

        if (Interlocked.Decrement(ref _free) < 0)
        {
            _ = Interlocked.Increment(ref _free);
            return Errno.ENOSPC;
        }

        return Errno.None;
    }

    /// <inheritdoc/>
    public override Errno Remove(MdevDevice mdev)
    {
        Errno error = base.Remove(mdev);

        // The modern core ignores the result: the device goes, so its instance comes back.
        if (error == Errno.None || profile == KernelProfile.Modern)
        {
            _ = Interlocked.Increment(ref _free);
        }

        return error;
    }
}
