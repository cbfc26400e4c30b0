using MdevCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MdevCore.DriverModel;

/// <summary>The uevents of one host: numbered in order, delivered to subscribers and kept for draining.</summary>
/// <remarks>
/// Subscribers are called on the thread that raised the event, in sequence-number order for events raised
/// by one thread, holding what the raising operation holds at that point (for bind, unbind and events written
/// to a <c>uevent</c> file: the device lock; never a leaf lock; see docs/threading.md). The backlog kept for
/// <see cref="Drain"/> is bounded by <see cref="MdevHostOptions.UEventBacklogCapacity"/>; past that the
/// oldest events are dropped and counted in <see cref="DroppedCount"/>, as a full netlink socket drops
/// them. A subscriber that throws is logged (event 303) and counted in <see cref="SubscriberFaultCount"/>;
/// the other subscribers still get the event and the operation that raised it goes on.
/// Thread safety: thread-safe.
/// </remarks>
public sealed class UEventLog
{
    private readonly Lock _lock = new();
    private readonly Queue<UEvent> _backlog = new();
    private readonly int _capacity;
    private volatile Action<UEvent>[] _subscribers = [];
    private readonly ILogger _logger;
    private ulong _sequence;
    private long _dropped;
    private long _subscriberFaults;

    internal UEventLog(int capacity, ILogger? logger = null)
    {
        _capacity = capacity;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Number of times a subscriber threw.</summary>
    public long SubscriberFaultCount => Interlocked.Read(ref _subscriberFaults);

    /// <summary>Number of events dropped from the backlog because it was full.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>The sequence number of the last event raised (0 before the first).</summary>
    public ulong LastSequenceNumber
    {
        get
        {
            return Interlocked.Read(ref _sequence);
        }
    }

    /// <summary>Calls <paramref name="handler"/> for every future event until the returned object is disposed.</summary>
    /// <param name="handler">The handler. If it throws, the exception is logged and counted, never passed on.</param>
    /// <returns>The subscription.</returns>
    public IDisposable Subscribe(Action<UEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_lock)
        {
            _subscribers = [.. _subscribers, handler];
        }

        return new Subscription(this, handler);
    }

    /// <summary>Takes every event kept since the last drain, oldest first.</summary>
    /// <returns>The events.</returns>
    public IReadOnlyList<UEvent> Drain()
    {
        lock (_lock)
        {
            UEvent[] events = [.. _backlog];
            _backlog.Clear();
            return events;
        }
    }

    /// <summary>Raises an event for a device. Nothing is built when nobody keeps or receives events.</summary>
    /// <param name="device">The device.</param>
    /// <param name="action">The action.</param>
    /// <param name="extra">Variables of the caller's, placed after SUBSYSTEM.</param>
    /// <param name="driverName">The driver to name in DRIVER=; by default the device's current one.</param>
    internal void Raise(Device device, UEventAction action, KeyValuePair<string, string>[]? extra = null, string? driverName = null)
    {
        if (_capacity == 0 && _subscribers.Length == 0)
        {
            // Nobody keeps or receives events: only the sequence number moves on.
            _ = Interlocked.Increment(ref _sequence);
            return;
        }

        Action<UEvent>[] subscribers;
        UEvent uevent;
        driverName ??= device.Driver?.Name;
        lock (_lock)
        {
            ulong seq = Interlocked.Increment(ref _sequence);
            subscribers = _subscribers;
            uevent = new UEvent(action, device, seq, driverName, extra);
            if (_capacity > 0)
            {
                if (_backlog.Count >= _capacity)
                {
                    _ = _backlog.Dequeue();
                    _ = Interlocked.Increment(ref _dropped);
                }

                _backlog.Enqueue(uevent);
            }
        }

        foreach (Action<UEvent> subscriber in subscribers)
        {
            Deliver(subscriber, uevent);
        }
    }

    private void Deliver(Action<UEvent> subscriber, UEvent uevent)
    {
        try
        {
            subscriber(uevent);
        }
#pragma warning disable CA1031 // A listener's fault must never break or half-complete the operation that raised the event.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _ = Interlocked.Increment(ref _subscriberFaults);
            Log.UEventSubscriberFailed(_logger, ex, uevent.Action, uevent.DevPath);
        }
    }

    private void Unsubscribe(Action<UEvent> handler)
    {
        lock (_lock)
        {
            int index = Array.IndexOf(_subscribers, handler);
            if (index >= 0)
            {
                _subscribers = [.. _subscribers[..index], .. _subscribers[(index + 1)..]];
            }
        }
    }

    private sealed class Subscription(UEventLog queue, Action<UEvent> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                queue.Unsubscribe(handler);
            }
        }
    }
}
