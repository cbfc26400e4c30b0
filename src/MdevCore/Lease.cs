namespace MdevCore;

/// <summary>A counted reference on a host object; disposing it drops the reference.</summary>
/// <typeparam name="T">The object kind: a device or an IOMMU group.</typeparam>
/// <remarks>
/// The C# form of a kernel get/put pair: while a lease is held the object is not released (for an
/// mdev, its UUID stays taken even after it is removed). A second <see cref="Dispose"/> does nothing.
/// Thread safety: thread-safe.
/// </remarks>
public sealed class Lease<T> : IDisposable
    where T : class
{
    private readonly Action<T> _put;
    private T? _target;

    internal Lease(T target, Action<T> put)
    {
        _target = target;
        _put = put;
    }

    /// <summary>The leased object.</summary>
    /// <exception cref="ObjectDisposedException">The lease was disposed.</exception>
    public T Target => _target ?? throw new ObjectDisposedException(nameof(Lease<T>));

    /// <summary>Drops the reference. Pairs with the get taken when the lease was made.</summary>
    public void Dispose()
    {
        T? target = Interlocked.Exchange(ref _target, null);
        if (target is not null)
        {
            _put(target);
        }
    }
}
