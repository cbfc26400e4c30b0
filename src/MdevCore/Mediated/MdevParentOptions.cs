using MdevCore.DriverModel;

namespace MdevCore.Mediated;

/// <summary>Settings of one parent registration.</summary>
/// <remarks>Thread safety: not thread-safe; do not change an instance while a registration uses it.</remarks>
public sealed class MdevParentOptions
{
    /// <summary>
    /// The core's instance budget, shared by all types of the parent (kernel: <c>mdev_driver.max_instances</c>).
    /// Used only when the vendor does not implement <see cref="IMdevAvailableInstances"/>. Under the modern
    /// profile a create fails with <see cref="Errno.EUSERS"/> once it is used up; the seed did not enforce it.
    /// </summary>
    public int MaxInstances { get; set; }

    /// <summary>
    /// Under the modern profile, the <c>mdev</c> bus driver that each new device is explicitly bound to.
    /// <see langword="null"/> makes the vendor itself the driver, as in 6.x, named <see cref="DriverName"/>.
    /// Ignored by the seed profile, where every registered bus driver is offered each new device.
    /// </summary>
    public DeviceDriver? Driver { get; set; }

    /// <summary>
    /// The name of the vendor's own mdev driver when <see cref="Driver"/> is <see langword="null"/>;
    /// <see langword="null"/> uses the parent's driver string (the type-directory prefix).
    /// </summary>
    public string? DriverName { get; set; }
}
