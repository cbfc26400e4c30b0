namespace MdevCore.Mediated;

/// <summary>A driver on the <c>mdev</c> bus (kernel: <c>struct mdev_driver</c>, registered with <c>mdev_register_driver</c>).</summary>
/// <remarks>
/// The seed's <c>vfio_mdev</c> is such a driver: it binds every mdev and puts it on the VFIO path.
/// Probe and remove run under the device lock and the parent's unregistration gate, never under a host-wide lock.
/// </remarks>
public interface IMdevDriver
{
    /// <summary>The driver name: <c>/sys/bus/mdev/drivers/&lt;name&gt;</c> and <c>DRIVER=</c> in uevents.</summary>
    string Name { get; }

    /// <summary>Takes over a new mdev.</summary>
    /// <param name="mdev">The device.</param>
    /// <returns><see cref="Errno.None"/>, or the errno passed back to the <c>create</c> writer
    /// (<see cref="Errno.EPROBE_DEFER"/> becomes <see cref="Errno.EAGAIN"/>).</returns>
    Errno Probe(MdevDevice mdev);

    /// <summary>Lets go of an mdev. Cannot fail.</summary>
    /// <param name="mdev">The device.</param>
    void Remove(MdevDevice mdev);
}
