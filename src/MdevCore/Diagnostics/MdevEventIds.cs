namespace MdevCore.Diagnostics;

/// <summary>Stable event ids of the library's log messages, grouped by range.</summary>
/// <remarks>Parents 100-199, devices 200-299, sysfs and driver model 300-399, FUSE 400-499. Thread safety: constants.</remarks>
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

    /// <summary>An mdev was created.</summary>
    public const int DeviceCreated = 200;

    /// <summary>An mdev create failed.</summary>
    public const int DeviceCreateFailed = 201;

    /// <summary>An mdev was removed.</summary>
    public const int DeviceRemoved = 202;

    /// <summary>An mdev remove failed.</summary>
    public const int DeviceRemoveFailed = 203;

    /// <summary>A vendor callback threw during a removal that cannot be refused.</summary>
    public const int VendorCallbackFailed = 204;

    /// <summary>A remove is waiting for the device to be closed.</summary>
    public const int RemoveWaitingForRelease = 205;

    /// <summary>A remove gave up waiting for the device to be closed (<see cref="MdevHostOptions.RemoveWaitTimeout"/>).</summary>
    public const int RemoveWaitTimedOut = 206;

    /// <summary>A sysfs name collided ("sysfs: cannot create duplicate filename").</summary>
    public const int DuplicateFilename = 300;

    /// <summary>A driver registered on a bus.</summary>
    public const int DriverRegistered = 301;
}
