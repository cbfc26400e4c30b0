using MdevCore.Mediated;

namespace MdevCore.Vfio;

/// <summary>
/// The seed's <c>vfio_mdev</c> bus driver: registered with <see cref="MdevManager.RegisterDriver"/>, it
/// binds every mdev and so puts it on the VFIO path (the bus gives it a single-device IOMMU group, which
/// <see cref="VfioHost.OpenGroup"/> opens). Device opens and ioctls reach the vendor's parent ops
/// through <see cref="MdevDeviceHandle"/>. Under the modern profile the vendor is its own mdev driver
/// and this class is not needed.
/// </summary>
/// <remarks>Thread safety: stateless apart from its counters, which are thread-safe.</remarks>
public sealed class VfioMdevDriver : IMdevDriver
{
    private int _bound;

    /// <summary>The kernel's driver name.</summary>
    public const string DriverName = "vfio_mdev";

    /// <inheritdoc/>
    public string Name => DriverName;

    /// <summary>How many devices are bound now.</summary>
    public int BoundCount => Volatile.Read(ref _bound);

    /// <summary>Binds the device; the seed's vfio_add_group_dev could only fail for lack of memory.</summary>
    /// <param name="mdev">The device.</param>
    /// <returns><see cref="Errno.None"/>.</returns>
    public Errno Probe(MdevDevice mdev)
    {
        _ = Interlocked.Increment(ref _bound);
        return Errno.None;
    }

    /// <summary>Unbinds the device (vfio_del_group_dev; the bus has already waited for open handles to close).</summary>
    /// <param name="mdev">The device.</param>
    public void Remove(MdevDevice mdev) => _ = Interlocked.Decrement(ref _bound);
}
