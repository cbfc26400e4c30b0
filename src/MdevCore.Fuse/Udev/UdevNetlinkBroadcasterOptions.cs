using Microsoft.Extensions.Logging;

namespace MdevCore.Fuse.Udev;

/// <summary>How a <see cref="UdevNetlinkBroadcaster"/> queues and reports.</summary>
/// <remarks>Thread safety: not thread-safe; do not change an instance while attaching with it.</remarks>
public sealed class UdevNetlinkBroadcasterOptions
{
    /// <summary>
    /// Where dropped events are reported (event ids <see cref="Diagnostics.MdevEventIds.UdevEventNotBroadcast"/> and
    /// <see cref="Diagnostics.MdevEventIds.UdevListenerDroppedEvents"/>, warnings); default: nowhere.
    /// </summary>
    public ILogger? Logger { get; set; }

    /// <summary>
    /// The network namespace in which <see cref="UdevNetlinkBroadcaster.Attach"/> refuses to broadcast, as a
    /// procfs path or a <c>net:[inode]</c> name as <c>readlink</c> shows it. Default <c>/proc/1/ns/net</c>, the
    /// machine's (or container's) own, where every udev listener would receive the simulated devices. When
    /// the namespace cannot be read (PID 1 hidden from this process, or this process is PID 1 of a PID
    /// namespace of its own) nothing is refused; name the caller's namespace here to keep the check.
    /// </summary>
    public string RefusedNetworkNamespace { get; set; } = "/proc/1/ns/net";

    /// <summary>
    /// How many events may wait for the sending thread (default 65,536). Past that an event is dropped,
    /// counted in <see cref="UdevNetlinkBroadcaster.DroppedCount"/> and logged; the host never waits.
    /// </summary>
    public int QueueCapacity { get; set; } = 65_536;
}
