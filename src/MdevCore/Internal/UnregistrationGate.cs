namespace MdevCore.Internal;

/// <summary>
/// Keeps parent unregistration out while create and remove run, and makes them fail once it has begun.
/// </summary>
/// <remarks>
/// Kernel: <c>mdev_parent.unreg_sem</c>. Create and remove take it shared with a try that never
/// blocks (<c>down_read_trylock</c>); unregistration takes it exclusive and waits for the readers
/// (<c>down_write</c>). Unlike a reader/writer lock it has no thread affinity and no recursion
/// limits, so a vendor callback may create or remove another device of the same parent.
/// Thread safety: thread-safe. Rank: outermost lock (see docs/threading.md).
/// </remarks>
internal sealed class UnregistrationGate
{
    private readonly object _sync = new();
    private int _readers;
    private bool _closed;

    /// <summary>Whether unregistration has started.</summary>
    public bool IsClosed => Volatile.Read(ref _closed);

    /// <summary>Enters shared unless unregistration has started.</summary>
    /// <returns><see langword="false"/> once the gate is closed (the caller returns ENODEV).</returns>
    public bool TryEnterShared()
    {
        lock (_sync)
        {
            if (_closed)
            {
                return false;
            }

            _readers++;
            return true;
        }
    }

    /// <summary>Leaves a shared section entered by <see cref="TryEnterShared"/>.</summary>
    public void ExitShared()
    {
        lock (_sync)
        {
            _readers--;
            if (_readers < 0)
            {
                throw new InvalidOperationException("Unregistration gate left more often than entered.");
            }

            if (_readers == 0 && _closed)
            {
                Monitor.PulseAll(_sync);
            }
        }
    }

    /// <summary>Closes the gate for good and waits until every shared holder has left.</summary>
    public void CloseAndWait()
    {
        lock (_sync)
        {
            _closed = true;
            while (_readers > 0)
            {
                _ = Monitor.Wait(_sync);
            }
        }
    }
}
