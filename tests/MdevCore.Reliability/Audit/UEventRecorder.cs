using System.Collections.Concurrent;
using MdevCore.DriverModel;

namespace MdevCore.Reliability.Audit;

/// <summary>
/// Records a host's uevents from the moment it subscribes and checks that they pair per device: in sequence order,
/// <c>add</c> and <c>remove</c> alternate starting with <c>add</c>, and <c>bind</c>/<c>unbind</c> alternate inside a
/// device's life. <c>change</c> and the other actions carry no pairing rule and are only counted.
/// </summary>
public sealed class UEventRecorder : IDisposable
{
    private readonly ConcurrentQueue<UEvent> _events = new();
    private readonly IDisposable _subscription;

    /// <summary>Subscribes to <paramref name="host"/>'s uevents.</summary>
    /// <param name="host">The host.</param>
    public UEventRecorder(MdevHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        _subscription = host.UEvents.Subscribe(_events.Enqueue);
    }

    /// <summary>How many events were recorded.</summary>
    public int Count => _events.Count;

    /// <summary>The pairing violations among the recorded events (empty when they pair).</summary>
    /// <param name="expectClosed">Every device's life is over (after teardown): each <c>add</c> has its <c>remove</c>.</param>
    /// <returns>One line per violation.</returns>
    public IReadOnlyList<string> Check(bool expectClosed)
    {
        var violations = new List<string>();
        var ordered = _events.ToArray();
        Array.Sort(ordered, static (a, b) => a.SequenceNumber.CompareTo(b.SequenceNumber));
        for (int i = 1; i < ordered.Length; i++)
        {
            if (ordered[i].SequenceNumber == ordered[i - 1].SequenceNumber)
            {
                violations.Add($"two events share SEQNUM {ordered[i].SequenceNumber}");
            }
        }

        var alive = new Dictionary<Device, (bool Added, bool Bound)>(ReferenceEqualityComparer.Instance);
        foreach (UEvent e in ordered)
        {
            (bool added, bool bound) = alive.GetValueOrDefault(e.Device);
            switch (e.Action)
            {
                case UEventAction.Add when added:
                case UEventAction.Remove when !added:
                case UEventAction.Bind when !added || bound:
                case UEventAction.Unbind when !added || !bound:
                    violations.Add($"{e.Action} of {e.DevPath} (SEQNUM {e.SequenceNumber}) out of order");
                    break;
                case UEventAction.Add:
                    alive[e.Device] = (true, false);
                    break;
                case UEventAction.Remove when bound:
                    violations.Add($"remove of {e.DevPath} (SEQNUM {e.SequenceNumber}) while bound");
                    alive[e.Device] = (false, false);
                    break;
                case UEventAction.Remove:
                    alive[e.Device] = (false, false);
                    break;
                case UEventAction.Bind:
                    alive[e.Device] = (true, true);
                    break;
                case UEventAction.Unbind:
                    alive[e.Device] = (true, false);
                    break;
                default:
                    break;
            }
        }

        if (expectClosed)
        {
            violations.AddRange(alive.Where(p => p.Value.Added).Select(p => $"{p.Key.DevPath} was added and never removed"));
        }

        return violations;
    }

    /// <inheritdoc/>
    public void Dispose() => _subscription.Dispose();
}
