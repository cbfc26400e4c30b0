namespace MdevCore.Internal;

/// <summary>Hands out the smallest free non-negative integer, as the kernel's IDA does.</summary>
/// <remarks>Thread safety: thread-safe.</remarks>
internal sealed class IdAllocator
{
    private readonly Lock _lock = new();
    private readonly SortedSet<int> _released = [];
    private int _next;

    public int Allocate()
    {
        lock (_lock)
        {
            if (_released.Count > 0)
            {
                int id = _released.Min;
                _ = _released.Remove(id);
                return id;
            }

            return _next++;
        }
    }

    public void Release(int id)
    {
        lock (_lock)
        {
            if (id < 0 || id >= _next || !_released.Add(id))
            {
                throw new InvalidOperationException($"Id {id} released twice or never allocated.");
            }
        }
    }
}
