namespace MdevCore.Internal;

/// <summary>A reference count embedded as a field of the object it counts (kernel: <c>struct kref</c>).</summary>
/// <remarks>
/// Starts at one, owned by the creator. Use it only as a field (never copy it) so that the
/// interlocked operations act on the object's own storage. Every get site names the put that
/// balances it. Thread safety: thread-safe.
/// </remarks>
internal struct RefCounter
{
    private int _count;

    public static RefCounter Initialized() => new() { _count = 1 };

    /// <summary>The current count; for diagnostics and tests only.</summary>
    public readonly int Count => Volatile.Read(ref System.Runtime.CompilerServices.Unsafe.AsRef(in _count));

    /// <summary>Takes a reference on an object known to be alive (kref_get).</summary>
    public void Get()
    {
        if (Interlocked.Increment(ref _count) <= 1)
        {
            throw new InvalidOperationException("kref_get on a released object.");
        }
    }

    /// <summary>Takes a reference unless the object is already dying (kref_get_unless_zero).</summary>
    public bool TryGet()
    {
        int seen = Volatile.Read(ref _count);
        while (seen > 0)
        {
            int prior = Interlocked.CompareExchange(ref _count, seen + 1, seen);
            if (prior == seen)
            {
                return true;
            }

            seen = prior;
        }

        return false;
    }

    /// <summary>Drops a reference (kref_put).</summary>
    /// <returns><see langword="true"/> when this call dropped the last one: the caller runs the release.</returns>
    public bool Put()
    {
        int after = Interlocked.Decrement(ref _count);
        if (after < 0)
        {
            throw new InvalidOperationException("Reference count underflow: a put without a matching get.");
        }

        return after == 0;
    }
}
