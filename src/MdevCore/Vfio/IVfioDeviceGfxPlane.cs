namespace MdevCore.Vfio;

/// <summary>
/// Optional, beside <see cref="IVfioDeviceOps"/>: the device exposes a display plane (VFIO_DEVICE_QUERY_GFX_PLANE),
/// as the mdpy (region plane) and mbochs (dma-buf plane) samples do. <see cref="VfioIoctlCodec.Dispatch"/> routes
/// the command here when the ops object implements this interface and answers <see cref="Errno.ENOTTY"/> otherwise.
/// </summary>
/// <remarks>Called outside every core lock.</remarks>
public interface IVfioDeviceGfxPlane
{
    /// <summary>VFIO_DEVICE_QUERY_GFX_PLANE.</summary>
    /// <param name="flags">The caller's flags: <see cref="VfioFlags.GfxPlaneTypeProbe"/> together with
    /// <see cref="VfioFlags.GfxPlaneTypeRegion"/> or <see cref="VfioFlags.GfxPlaneTypeDmabuf"/> asks whether that
    /// kind is supported; the kind alone asks for the plane.</param>
    /// <param name="drmPlaneType">The plane the caller asks about (<see cref="VfioGfxPlaneInfo.DrmPlaneTypePrimary"/>, ...).</param>
    /// <returns>The plane (all zero for a successful probe or a plane the guest has disabled), or
    /// <see cref="Errno.EINVAL"/> for an unsupported kind or invalid flags.</returns>
    Result<VfioGfxPlaneInfo> QueryGfxPlane(uint flags, uint drmPlaneType);
}
