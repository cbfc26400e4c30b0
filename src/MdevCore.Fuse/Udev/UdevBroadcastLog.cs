using MdevCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MdevCore.Fuse.Udev;

/// <summary>The broadcaster's log messages.</summary>
/// <remarks>Thread safety: stateless.</remarks>
internal static class UdevBroadcastLog
{
    private static readonly Action<ILogger, ulong, string, string, Exception?> NotBroadcast = LoggerMessage.Define<ulong, string, string>(
        LogLevel.Warning,
        new EventId(MdevEventIds.UdevEventNotBroadcast, nameof(MdevEventIds.UdevEventNotBroadcast)),
        "udev netlink: uevent {SequenceNumber} ({DevPath}) was not broadcast: {Reason}");

    private static readonly Action<ILogger, uint, long, Exception?> ListenerDropped = LoggerMessage.Define<uint, long>(
        LogLevel.Warning,
        new EventId(MdevEventIds.UdevListenerDroppedEvents, nameof(MdevEventIds.UdevListenerDroppedEvents)),
        "udev netlink: the listener with port id {PortId} dropped {Count} uevent message(s): its receive buffer was full");

    public static void EventNotBroadcast(ILogger logger, ulong sequenceNumber, string devPath, string reason) =>
        NotBroadcast(logger, sequenceNumber, devPath, reason, null);

    public static void ListenerDroppedEvents(ILogger logger, uint portId, long count) => ListenerDropped(logger, portId, count, null);
}
