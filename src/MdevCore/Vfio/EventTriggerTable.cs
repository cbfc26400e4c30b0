namespace MdevCore.Vfio;

/// <summary>Numbers event triggers as file descriptors so that SET_IRQS payloads (int32 eventfds) can name them.</summary>
/// <remarks>Numbers start at 3, as a process's first free descriptor would. Thread safety: thread-safe.</remarks>
public sealed class EventTriggerTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, EventTrigger> _triggers = [];
    private int _next = 3;

    /// <summary>Gives a trigger a descriptor number.</summary>
    /// <param name="trigger">The trigger.</param>
    /// <returns>The number to put in a SET_IRQS payload.</returns>
    public int Add(EventTrigger trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        lock (_lock)
        {
            int fd = _next++;
            _triggers.Add(fd, trigger);
            return fd;
        }
    }

    /// <summary>Resolves a descriptor number.</summary>
    /// <param name="fd">The number.</param>
    /// <returns>The trigger, or <see cref="Errno.EBADF"/>.</returns>
    public Result<EventTrigger> Get(int fd)
    {
        lock (_lock)
        {
            return _triggers.TryGetValue(fd, out EventTrigger? trigger) ? trigger : Errno.EBADF;
        }
    }

    /// <summary>Closes a descriptor number.</summary>
    /// <param name="fd">The number.</param>
    /// <returns><see cref="Errno.EBADF"/> if it is not open.</returns>
    public Errno Remove(int fd)
    {
        lock (_lock)
        {
            return _triggers.Remove(fd) ? Errno.None : Errno.EBADF;
        }
    }
}
