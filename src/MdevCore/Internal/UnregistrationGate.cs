namespace MdevCore.Internal;

/// <summary>
/// Keeps parent unregistration out while create and remove run, and makes them fail once it has begun.
/// </summary>
/// <remarks>
/// Kernel: <c>mdev_parent.unreg_sem</c>. Create and remove take it shared with a try that never
/// blocks (<c>down_read_trylock</c>); unregistration takes it exclusive and waits for the readers
/// (<c>down_write</c>). Unlike a reader/writer lock it has no thread affinity and no recursion
/// limits, so a vendor callback may create or remove another device of the same parent.
/// The shared side is one atomic operation each way: the reader count and the closed flag share
/// one word, and the monitor is used only when unregistration waits for the last reader.
/// Thread safety: thread-safe. Rank: outermost lock (see docs/threading.md).
/// </remarks>
internal sealed class UnregistrationGate
{
    private const int ClosedBit = 1 << 30;

    private readonly object _sync = new();

    /// <summary>Readers in the low bits; <see cref="ClosedBit"/> once unregistration began.</summary>
    private int _state;

    /// <summary>Whether unregistration has started.</summary>
    public bool IsClosed => (Volatile.Read(ref _state) & ClosedBit) != 0;

    /// <summary>Enters shared unless unregistration has started.</summary>
    /// <returns><see langword="false"/> once the gate is closed (the caller returns ENODEV).</returns>
    public bool TryEnterShared()
    {
        int seen = Volatile.Read(ref _state);
        while ((seen & ClosedBit) == 0)
        {
            int prior = Interlocked.CompareExchange(ref _state, seen + 1, seen);
            if (prior == seen)
            {
                return true;
            }

            seen = prior;
        }

        return false;
    }

    /// <summary>Leaves a shared section entered by <see cref="TryEnterShared"/>.</summary>
    public void ExitShared()
    {
        int after = Interlocked.Decrement(ref _state);
        if ((after & (ClosedBit - 1)) == ClosedBit - 1)
        {
            throw new InvalidOperationException("Unregistration gate left more often than entered.");
        }

        if (after == ClosedBit)
        {
            // The last reader after unregistration began: wake the waiter.
            lock (_sync)
            {
                Monitor.PulseAll(_sync);
            }
        }
    }

    /// <summary>Closes the gate for good and waits until every shared holder has left.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits as long as it takes.</param>
    /// <returns><see langword="false"/> if holders were still inside when the time ran out (the gate stays closed).</returns>
    public bool CloseAndWait(TimeSpan timeout)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        lock (_sync)
        {
            _ = Interlocked.Or(ref _state, ClosedBit);
            while (Volatile.Read(ref _state) != ClosedBit)
            {
                TimeSpan left = Timeout.InfiniteTimeSpan;
                if (timeout != Timeout.InfiniteTimeSpan)
                {
                    left = timeout - System.Diagnostics.Stopwatch.GetElapsedTime(start);
                    if (left <= TimeSpan.Zero)
                    {
                        return false;
                    }
                }

                _ = Monitor.Wait(_sync, left);
            }

            return true;
        }
    }
}
