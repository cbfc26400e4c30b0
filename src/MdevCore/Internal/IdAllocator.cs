namespace MdevCore.Internal;

/// <summary>Hands out the smallest free non-negative integer, as the kernel's IDA does.</summary>
/// <remarks>Released ids wait in a min-heap; nothing is allocated per id. Thread safety: none; the owner
/// calls it under its own lock.</remarks>
internal sealed class IdAllocator
{
    private readonly PriorityQueue<int, int> _released = new();
    private int _next;
    private int _live;

    public int Allocate()
    {
        _live++;
        return _released.TryDequeue(out int id, out _) ? id : _next++;
    }

    public void Release(int id)
    {
        if (id < 0 || id >= _next || _live == 0)
        {
            throw new InvalidOperationException($"Id {id} released but never allocated.");
        }

        _live--;
        _released.Enqueue(id, id);
    }
}
