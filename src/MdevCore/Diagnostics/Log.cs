using MdevCore.DriverModel;
using Microsoft.Extensions.Logging;

namespace MdevCore.Diagnostics;

/// <summary>The library's log messages, at the points where the kernel logs.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = MdevEventIds.ParentRegistered, Level = LogLevel.Information, Message = "{Parent}: MDEV: Registered")]
    public static partial void ParentRegistered(ILogger logger, string parent);

    [LoggerMessage(EventId = MdevEventIds.ParentUnregistering, Level = LogLevel.Information, Message = "{Parent}: MDEV: Unregistering")]
    public static partial void ParentUnregistering(ILogger logger, string parent);

    [LoggerMessage(EventId = MdevEventIds.ParentRegisterFailed, Level = LogLevel.Debug, Message = "{Parent}: MDEV: registration failed with {Error}")]
    public static partial void ParentRegisterFailed(ILogger logger, string parent, Errno error);

    [LoggerMessage(EventId = MdevEventIds.ClassLinkFailed, Level = LogLevel.Warning, Message = "{Parent}: Failed to create compatibility class link")]
    public static partial void ClassLinkFailed(ILogger logger, string parent);

    [LoggerMessage(EventId = MdevEventIds.NoInstanceBudget, Level = LogLevel.Warning,
        Message = "{Parent}: no available-instances callback and an instance budget of 0: every create will fail with EUSERS")]
    public static partial void NoInstanceBudget(ILogger logger, string parent);

    [LoggerMessage(EventId = MdevEventIds.DeviceCreated, Level = LogLevel.Debug, Message = "MDEV: created {Uuid} of type {Type}")]
    public static partial void DeviceCreated(ILogger logger, Guid uuid, string type);

    [LoggerMessage(EventId = MdevEventIds.DeviceCreateFailed, Level = LogLevel.Debug, Message = "MDEV: create of {Uuid} on {Type} failed with {Error}")]
    public static partial void DeviceCreateFailed(ILogger logger, Guid uuid, string type, Errno error);

    [LoggerMessage(EventId = MdevEventIds.DeviceRemoved, Level = LogLevel.Debug, Message = "MDEV: removed {Uuid}")]
    public static partial void DeviceRemoved(ILogger logger, Guid uuid);

    [LoggerMessage(EventId = MdevEventIds.DeviceRemoveFailed, Level = LogLevel.Debug, Message = "MDEV: remove of {Uuid} failed with {Error}")]
    public static partial void DeviceRemoveFailed(ILogger logger, Guid uuid, Errno error);

    [LoggerMessage(EventId = MdevEventIds.VendorCallbackFailed, Level = LogLevel.Error, Message = "MDEV: vendor callback {Callback} for {Uuid} threw")]
    public static partial void VendorCallbackFailed(ILogger logger, Exception exception, string callback, Guid uuid);

    [LoggerMessage(EventId = MdevEventIds.RemoveWaitingForRelease, Level = LogLevel.Information,
        Message = "MDEV: device {Uuid} is currently in use, remove is blocked until it is released")]
    public static partial void RemoveWaitingForRelease(ILogger logger, Guid uuid);

    [LoggerMessage(EventId = MdevEventIds.RemoveWaitTimedOut, Level = LogLevel.Error,
        Message = "MDEV: device {Uuid} still open after {Timeout}; removing it anyway")]
    public static partial void RemoveWaitTimedOut(ILogger logger, Guid uuid, TimeSpan timeout);

    [LoggerMessage(EventId = MdevEventIds.VendorCallbackFailed, Level = LogLevel.Error, Message = "{Parent}: MDEV: reading the vendor's types or attribute groups threw")]
    public static partial void VendorTableFailed(ILogger logger, Exception exception, string parent);

    [LoggerMessage(EventId = MdevEventIds.VendorCallbackFailed, Level = LogLevel.Error, Message = "MDEV: vendor callback {Callback} for type {Type} threw")]
    public static partial void VendorTypeCallbackFailed(ILogger logger, Exception exception, string callback, string type);

    [LoggerMessage(EventId = MdevEventIds.UnregisterWaitTimedOut, Level = LogLevel.Error,
        Message = "{Parent}: MDEV: creates or removes still in flight after {Timeout}; unregistering anyway")]
    public static partial void UnregisterWaitTimedOut(ILogger logger, string parent, TimeSpan timeout);

    [LoggerMessage(EventId = MdevEventIds.HandlesRevoked, Level = LogLevel.Error,
        Message = "MDEV: revoked {Count} open handle(s) of {Uuid}; calls on them now fail with ENODEV")]
    public static partial void HandlesRevoked(ILogger logger, Guid uuid, int count);

    [LoggerMessage(EventId = MdevEventIds.PinsRevoked, Level = LogLevel.Error,
        Message = "VFIO: the vendor of {Uuid} kept pages pinned in IOVA 0x{Start:x}-0x{End:x} after {Requests} dma_unmap request(s); its pins there were dropped")]
    public static partial void PinsRevoked(ILogger logger, Guid uuid, ulong start, ulong end, int requests);

    [LoggerMessage(EventId = MdevEventIds.AttributeCallbackFailed, Level = LogLevel.Error, Message = "sysfs: the {Operation} callback of '{Path}' threw; returning EIO")]
    public static partial void AttributeCallbackFailed(ILogger logger, Exception exception, string operation, string path);

    [LoggerMessage(EventId = MdevEventIds.UEventSubscriberFailed, Level = LogLevel.Error, Message = "uevent: a subscriber threw on {Action} {DevPath}")]
    public static partial void UEventSubscriberFailed(ILogger logger, Exception exception, UEventAction action, string devPath);

    [LoggerMessage(EventId = MdevEventIds.DriverCallbackFailed, Level = LogLevel.Error, Message = "driver {Driver}: {Callback} of {Device} threw")]
    public static partial void DriverCallbackFailed(ILogger logger, Exception exception, string driver, string callback, string device);

    [LoggerMessage(EventId = MdevEventIds.DuplicateFilename, Level = LogLevel.Warning, Message = "sysfs: cannot create duplicate filename '{Path}'")]
    public static partial void DuplicateFilename(ILogger logger, string path);

    [LoggerMessage(EventId = MdevEventIds.DriverRegistered, Level = LogLevel.Debug, Message = "bus: '{Bus}': add driver {Driver}")]
    public static partial void DriverRegistered(ILogger logger, string bus, string driver);
}
