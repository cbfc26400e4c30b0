namespace MdevCore.Internal;

/// <summary>Hands out the smallest free non-negative integer, as the kernel's IDA does.</summary>
/// <remarks>Released ids wait in a min-heap; nothing is allocated per id. Thread safety: thread-safe.</remarks>
internal sealed class IdAllocator
{
    private readonly Lock _lock = new();
    private readonly PriorityQueue<int, int> _released = new();
    private int _next;
    private int _live;

    public int Allocate()
    {
        lock (_lock)
        {
            _live++;
            return _released.TryDequeue(out int id, out _) ? id : _next++;
        }
    }

    public void Release(int id)
    {
        lock (_lock)
        {
            if (id < 0 || id >= _next || _live == 0)
            {
                throw new InvalidOperationException($"Id {id} released but never allocated.");
            }

            _live--;
            _released.Enqueue(id, id);
        }
    }
}
