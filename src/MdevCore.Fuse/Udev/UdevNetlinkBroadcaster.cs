using System.Runtime.InteropServices;
using MdevCore.DriverModel;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MdevCore.Fuse.Udev;

/// <summary>
/// Broadcasts every uevent of a host on netlink as udevd would after processing it, so that libudev
/// monitors (<c>udevadm monitor --udev</c>, libvirt's node-device driver) in the same network namespace
/// see the simulated devices come and go.
/// </summary>
/// <remarks>
/// <para>
/// Each event (add, bind, change, unbind, remove, ...) goes to <c>NETLINK_KOBJECT_UEVENT</c> multicast
/// group 2 in libudev's message format, with <c>ACTION</c>, <c>DEVPATH</c>, <c>SUBSYSTEM</c>, the
/// variables of the device's <c>uevent</c> file and <c>SEQNUM</c>, in sequence-number order. The socket
/// is opened in the network namespace of the thread that calls <see cref="Attach"/>; every listener of
/// that namespace with root's credentials check receives the events, so attach only in a network namespace
/// of your own (<c>unshare(CLONE_NEWNET)</c>, which a single thread may do). <see cref="Attach"/> refuses
/// <see cref="UdevNetlinkBroadcasterOptions.RefusedNetworkNamespace"/>, by default PID 1's, the machine's.
/// </para>
/// <para>
/// The host's uevent subscribers run on the threads that change the host; this one only queues the event.
/// A dedicated thread builds and sends the messages. An event is never lost silently: a full queue, a
/// failed send and a listener whose receive buffer was full (the kernel counts that drop on the
/// listener's socket; the broadcaster reads the counters after sending) are counted and logged.
/// </para>
/// <para>Thread safety: thread-safe.</para>
/// </remarks>
public sealed class UdevNetlinkBroadcaster : IDisposable
{
    // How long an event waits for one with a lower sequence number still being delivered on another thread.
    private static readonly TimeSpan ReorderWait = TimeSpan.FromMilliseconds(500);

    private readonly object _gate = new();
    private readonly Queue<UEvent> _incoming = new();
    private readonly HashSet<ulong> _droppedInQueue = [];
    private readonly NetlinkUeventSocket _socket;
    private readonly NetlinkListenerDrops _listenerDrops;
    private readonly ILogger _logger;
    private readonly int _capacity;
    private readonly Thread _sender;
    private IDisposable? _subscription;
    private ulong _next;
    private long _accepted;
    private long _finished;
    private long _sent;
    private long _dropped;
    private long _listenerDropped;
    private bool _stopping;

    private UdevNetlinkBroadcaster(NetlinkUeventSocket socket, NetlinkListenerDrops listenerDrops, UdevNetlinkBroadcasterOptions options)
    {
        _socket = socket;
        _listenerDrops = listenerDrops;
        _logger = options.Logger ?? NullLogger.Instance;
        _capacity = options.QueueCapacity;
        _sender = new Thread(SendLoop) { IsBackground = true, Name = "udev netlink" };
    }

    /// <summary>Number of events broadcast.</summary>
    public long SentCount => Interlocked.Read(ref _sent);

    /// <summary>Number of events not broadcast: the queue was full or the send failed (each one logged).</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Number of messages that listeners lost because their receive buffers were full (logged per listener).</summary>
    public long ListenerDropCount => Interlocked.Read(ref _listenerDropped);

    /// <summary>Starts broadcasting the future events of <paramref name="uevents"/> in the calling thread's network namespace.</summary>
    /// <param name="uevents">The host's uevent log (<see cref="MdevHost.UEvents"/>).</param>
    /// <param name="options">Queue size and logger; default: <see cref="UdevNetlinkBroadcasterOptions"/>'s defaults.</param>
    /// <returns>The broadcaster; dispose it to stop.</returns>
    /// <exception cref="InvalidOperationException">The calling thread is in <see cref="UdevNetlinkBroadcasterOptions.RefusedNetworkNamespace"/>.</exception>
    /// <exception cref="IOException">The netlink socket could not be opened.</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public static UdevNetlinkBroadcaster Attach(UEventLog uevents, UdevNetlinkBroadcasterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(uevents);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("udev's netlink broadcast needs Linux.");
        }

        options ??= new UdevNetlinkBroadcasterOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.QueueCapacity, nameof(options));
        string? mine = NetworkNamespace.OfCallingThread();
        if (mine is not null && mine == NetworkNamespace.Resolve(options.RefusedNetworkNamespace))
        {
            throw new InvalidOperationException(
                $"udev netlink: refusing to broadcast in the network namespace {mine} ({options.RefusedNetworkNamespace}), where every udev listener "
                + "would receive the simulated devices; attach from a thread in a private network namespace (unshare(CLONE_NEWNET)).");
        }

        NetlinkUeventSocket socket = NetlinkUeventSocket.Open();
        var broadcaster = new UdevNetlinkBroadcaster(socket, NetlinkListenerDrops.Open(), options);
        broadcaster._subscription = uevents.Subscribe(broadcaster.Enqueue);
        // Every event numbered after this one reaches Enqueue; earlier ones in flight are sent as they come.
        broadcaster._next = uevents.LastSequenceNumber + 1;
        _ = broadcaster._listenerDrops.Poll();
        broadcaster._sender.Start();
        return broadcaster;
    }

    /// <summary>Waits until every event raised so far has been broadcast or counted as dropped.</summary>
    /// <param name="timeout">How long to wait at most.</param>
    /// <returns>Whether the queue was empty in time.</returns>
    public bool Flush(TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_gate)
        {
            long target = _accepted;
            while (Interlocked.Read(ref _finished) < target)
            {
                long left = deadline - Environment.TickCount64;
                if (left <= 0 || !_sender.IsAlive)
                {
                    return false;
                }

                _ = Monitor.Wait(_gate, TimeSpan.FromMilliseconds(left));
            }

            return true;
        }
    }

    /// <summary>Stops listening to the host, broadcasts what is queued and closes the socket.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
            _subscription?.Dispose();
            Monitor.PulseAll(_gate);
        }

        if (_sender.IsAlive)
        {
            _ = _sender.Join(TimeSpan.FromSeconds(10));
        }

        _socket.Dispose();
        _listenerDrops.Dispose();
    }

    private void Enqueue(UEvent uevent)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _accepted++;
            if (_incoming.Count >= _capacity)
            {
                _ = _droppedInQueue.Add(uevent.SequenceNumber);
                _finished++;
                _ = Interlocked.Increment(ref _dropped);
                UdevBroadcastLog.EventNotBroadcast(_logger, uevent.SequenceNumber, uevent.DevPath, $"the queue of {_capacity} events was full");
                return;
            }

            _incoming.Enqueue(uevent);
            Monitor.PulseAll(_gate);
        }
    }

    private void SendLoop()
    {
        var pending = new SortedList<ulong, UEvent>();
        long gapSince = -1;
        while (true)
        {
            bool stopping;
            lock (_gate)
            {
                while (_incoming.Count == 0 && !_stopping && (pending.Count == 0 || gapSince >= 0))
                {
                    if (pending.Count == 0)
                    {
                        _ = Monitor.Wait(_gate);
                        continue;
                    }

                    long left = gapSince + (long)ReorderWait.TotalMilliseconds - Environment.TickCount64;
                    if (left <= 0)
                    {
                        break;
                    }

                    _ = Monitor.Wait(_gate, TimeSpan.FromMilliseconds(left));
                }

                while (_incoming.TryDequeue(out UEvent? uevent))
                {
                    pending[uevent.SequenceNumber] = uevent;
                }

                while (_droppedInQueue.Remove(_next))
                {
                    _next++;
                }

                stopping = _stopping;
            }

            bool gapExpired = gapSince >= 0 && Environment.TickCount64 - gapSince >= (long)ReorderWait.TotalMilliseconds;
            int sent = 0;
            while (pending.Count > 0)
            {
                ulong first = pending.Keys[0];
                if (first > _next && !gapExpired && !stopping)
                {
                    break;
                }

                UEvent uevent = pending.Values[0];
                pending.RemoveAt(0);
                _next = Math.Max(_next, first + 1);
                Send(uevent);
                sent++;
            }

            gapSince = pending.Count == 0 ? -1 : (gapSince >= 0 && !gapExpired ? gapSince : Environment.TickCount64);
            if (sent > 0)
            {
                ReportListenerDrops();
                lock (_gate)
                {
                    _finished += sent;
                    Monitor.PulseAll(_gate);
                }
            }

            if (stopping && pending.Count == 0)
            {
                lock (_gate)
                {
                    if (_incoming.Count == 0)
                    {
                        Monitor.PulseAll(_gate);
                        return;
                    }
                }
            }
        }
    }

    private void Send(UEvent uevent)
    {
        int errno;
        try
        {
            errno = _socket.Broadcast(UdevMessage.Build(uevent));
        }
#pragma warning disable CA1031 // The sending thread must outlive a fault in building one event.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _ = Interlocked.Increment(ref _dropped);
            UdevBroadcastLog.EventNotBroadcast(_logger, uevent.SequenceNumber, uevent.DevPath, e.Message);
            return;
        }

        if (errno == 0)
        {
            _ = Interlocked.Increment(ref _sent);
            return;
        }

        _ = Interlocked.Increment(ref _dropped);
        UdevBroadcastLog.EventNotBroadcast(_logger, uevent.SequenceNumber, uevent.DevPath, "sendto: " + Marshal.GetPInvokeErrorMessage(errno));
    }

    private void ReportListenerDrops()
    {
        foreach ((uint port, long count) in _listenerDrops.Poll())
        {
            _ = Interlocked.Add(ref _listenerDropped, count);
            UdevBroadcastLog.ListenerDroppedEvents(_logger, port, count);
        }
    }
}
