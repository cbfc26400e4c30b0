namespace MdevCore.Diagnostics;

/// <summary>Stable event ids of the library's log messages, grouped by range.</summary>
/// <remarks>Parents 100-199, devices 200-299, sysfs and driver model 300-399, FUSE 400-499, MdevCore.Hosting 500-599. Thread safety: constants.</remarks>
public static class MdevEventIds
{
    /// <summary>A parent registered ("MDEV: Registered").</summary>
    public const int ParentRegistered = 100;

    /// <summary>A parent unregistration started ("MDEV: Unregistering").</summary>
    public const int ParentUnregistering = 101;

    /// <summary>A parent registration failed.</summary>
    public const int ParentRegisterFailed = 102;

    /// <summary>The <c>/sys/class/mdev_bus</c> link could not be made (a warning only).</summary>
    public const int ClassLinkFailed = 103;

    /// <summary>A parent has neither a vendor availability callback nor an instance budget.</summary>
    public const int NoInstanceBudget = 104;

    /// <summary>An unregistration gave up waiting for creates and removes in flight (<see cref="MdevHostOptions.RemoveWaitTimeout"/>) and went on.</summary>
    public const int UnregisterWaitTimedOut = 105;

    /// <summary>An mdev was created.</summary>
    public const int DeviceCreated = 200;

    /// <summary>An mdev create failed.</summary>
    public const int DeviceCreateFailed = 201;

    /// <summary>An mdev was removed.</summary>
    public const int DeviceRemoved = 202;

    /// <summary>An mdev remove failed.</summary>
    public const int DeviceRemoveFailed = 203;

    /// <summary>A vendor or mdev bus driver callback threw; the operation that called it returned <see cref="Errno.EIO"/>
    /// (or, for a callback that returns nothing, went on as if it had returned).</summary>
    public const int VendorCallbackFailed = 204;

    /// <summary>A remove is waiting for the device to be closed.</summary>
    public const int RemoveWaitingForRelease = 205;

    /// <summary>A remove gave up waiting for the device to be closed (<see cref="MdevHostOptions.RemoveWaitTimeout"/>).</summary>
    public const int RemoveWaitTimedOut = 206;

    /// <summary>A remove that gave up waiting revoked the device's open handles (later calls on them give ENODEV).</summary>
    public const int HandlesRevoked = 207;

    /// <summary>A vendor kept guest pages pinned through an unmap (or threw from its DMA unmap callback); the core dropped the pins.</summary>
    public const int PinsRevoked = 208;

    /// <summary>A sysfs name collided ("sysfs: cannot create duplicate filename").</summary>
    public const int DuplicateFilename = 300;

    /// <summary>A driver registered on a bus.</summary>
    public const int DriverRegistered = 301;

    /// <summary>An attribute's show, store or visibility callback threw; the reader or writer got <see cref="Errno.EIO"/>.</summary>
    public const int AttributeCallbackFailed = 302;

    /// <summary>A uevent subscriber threw; the event still reached the other subscribers and the operation went on.</summary>
    public const int UEventSubscriberFailed = 303;

    /// <summary>A device driver's probe or remove threw (probe: the bind failed with <see cref="Errno.EIO"/>).</summary>
    public const int DriverCallbackFailed = 304;

    /// <summary>MdevCore.Fuse's udev netlink broadcaster did not broadcast a uevent: its queue was full, or building or sending the message failed (warning).</summary>
    public const int UdevEventNotBroadcast = 400;

    /// <summary>A listener of MdevCore.Fuse's udev netlink broadcast lost messages because its receive buffer was full (warning).</summary>
    public const int UdevListenerDroppedEvents = 401;

    /// <summary>MdevCore.Hosting served a named host's <c>/sys</c> through FUSE (information, category <c>MdevCore.Hosting.FuseMountService</c>).</summary>
    public const int HostingMounted = 500;

    /// <summary>MdevCore.Hosting unmounted a named host's FUSE mount at application stop (information).</summary>
    public const int HostingUnmounted = 501;
}
