namespace MdevCore.Vfio;

/// <summary>
/// The VFIO device ioctls a vendor driver answers, as typed calls (kernel: the ioctl half of
/// <c>vfio_device_ops</c>). <see cref="VfioIoctlCodec"/> turns raw ioctls into these calls.
/// </summary>
/// <remarks>Called outside every core lock; calls for one device may run concurrently.</remarks>
public interface IVfioDeviceOps
{
    /// <summary>VFIO_DEVICE_GET_INFO.</summary>
    /// <returns>The device info.</returns>
    VfioDeviceInfo GetInfo();

    /// <summary>VFIO_DEVICE_GET_REGION_INFO.</summary>
    /// <param name="index">The region index.</param>
    /// <returns>The info, or <see cref="Errno.EINVAL"/> for an index the device does not have.</returns>
    Result<VfioRegionInfo> GetRegionInfo(uint index);

    /// <summary>VFIO_DEVICE_GET_IRQ_INFO.</summary>
    /// <param name="index">The IRQ index.</param>
    /// <returns>The info, or <see cref="Errno.EINVAL"/> for an index the device does not have.</returns>
    Result<VfioIrqInfo> GetIrqInfo(uint index);

    /// <summary>VFIO_DEVICE_SET_IRQS, after the header passed <see cref="VfioIrqSet.Validate"/>.</summary>
    /// <param name="request">The header.</param>
    /// <param name="payload">Exactly the validated payload: nothing, a byte per vector, or a little-endian int32 eventfd number per vector.</param>
    /// <returns><see cref="Errno.None"/>, or the driver's errno (<see cref="Errno.ENOTTY"/> for an unsupported action, <see cref="Errno.EINVAL"/>).</returns>
    Errno SetIrqs(VfioIrqSet request, ReadOnlySpan<byte> payload);

    /// <summary>VFIO_DEVICE_RESET.</summary>
    /// <returns><see cref="Errno.None"/>, or the driver's errno.</returns>
    Errno Reset();
}
