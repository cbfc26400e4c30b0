namespace MdevCore.Mediated;

/// <summary>The mandatory callbacks of a vendor (physical) driver (kernel: <c>struct parent_ops</c>).</summary>
/// <remarks>
/// Optional behaviour is a separate one-member interface that the same object implements:
/// <see cref="IMdevAvailableInstances"/>, <see cref="IMdevTypeDescription"/>,
/// <see cref="IMdevDeviceAttributeGroups"/>, <see cref="IMdevParentAttributeGroups"/>,
/// <see cref="IMdevDeviceOpen"/>, <see cref="IMdevDeviceReadWrite"/>, <see cref="IMdevDeviceIoctl"/>
/// and <see cref="IMdevDeviceMmap"/>. Callbacks run under the device's lock and the parent's
/// unregistration gate, never under a host-wide lock.
/// </remarks>
public interface IMdevParentOps
{
    /// <summary>The supported types, in directory order. Read once, at registration.</summary>
    IReadOnlyList<MdevTypeInfo> SupportedTypes { get; }

    /// <summary>Sets up the vendor state of a new device (seed <c>create</c>; 6.x <c>probe</c>).</summary>
    /// <param name="mdev">The device; <see cref="MdevDevice.Type"/> says which type.</param>
    /// <returns><see cref="Errno.None"/>, or the errno the <c>create</c> writer sees (the samples use <see cref="Errno.ENOSPC"/>).</returns>
    Errno Create(MdevDevice mdev);

    /// <summary>Tears down the vendor state (seed <c>remove</c>; 6.x driver <c>remove</c>).</summary>
    /// <param name="mdev">The device.</param>
    /// <returns>Under <see cref="KernelProfile.Seed"/> a non-zero errno vetoes a user's remove (for example
    /// <see cref="Errno.EBUSY"/> while open); under <see cref="KernelProfile.Modern"/>, and whenever the parent
    /// is unregistering, the result is ignored and the device goes anyway.</returns>
    Errno Remove(MdevDevice mdev);
}
