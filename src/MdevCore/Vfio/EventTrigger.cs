namespace MdevCore.Vfio;

/// <summary>An eventfd-like counter a driver signals (an interrupt) and a client reads or awaits.</summary>
/// <remarks>
/// <see cref="Signal"/> adds one; <see cref="TryRead"/> takes the whole count and resets it, as a read of
/// an eventfd does; <see cref="WaitAsync"/> completes when the count is non-zero. Thread safety: thread-safe.
/// </remarks>
public sealed class EventTrigger
{
    private readonly Lock _lock = new();
    private long _count;
    private long _total;
    private TaskCompletionSource? _waiter;

    /// <summary>How many signals were ever raised.</summary>
    public long TotalSignals => Interlocked.Read(ref _total);

    /// <summary>Adds one to the counter and wakes waiters (eventfd_signal).</summary>
    public void Signal()
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            _count++;
            _total++;
            waiter = _waiter;
            _waiter = null;
        }

        _ = waiter?.TrySetResult();
    }

    /// <summary>Takes the count and resets it to zero.</summary>
    /// <param name="count">The count read.</param>
    /// <returns><see langword="false"/> when the count was zero (a non-blocking read would get EAGAIN).</returns>
    public bool TryRead(out long count)
    {
        lock (_lock)
        {
            count = _count;
            _count = 0;
            return count != 0;
        }
    }

    /// <summary>Completes when the counter is non-zero.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes on a signal.</returns>
    public Task WaitAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_count != 0)
            {
                return Task.CompletedTask;
            }

            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task.WaitAsync(cancellationToken);
        }
    }
}
