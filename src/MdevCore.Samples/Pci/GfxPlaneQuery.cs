using MdevCore.Vfio;

namespace MdevCore.Samples.Pci;

/// <summary>The flag checks of VFIO_DEVICE_QUERY_GFX_PLANE that every display sample makes before it describes its plane.</summary>
internal static class GfxPlaneQuery
{
    /// <summary>
    /// A probe succeeds (with an empty reply) only for the plane type the device offers; a query for any other
    /// type, or with other flags, is <see cref="Errno.EINVAL"/>.
    /// </summary>
    /// <param name="flags">The request's flags.</param>
    /// <param name="offeredType">The device's plane type: <see cref="VfioFlags.GfxPlaneTypeRegion"/> or <see cref="VfioFlags.GfxPlaneTypeDmabuf"/>.</param>
    /// <returns>The reply when the flags settle it; <see langword="null"/> when the caller must describe the plane.</returns>
    public static Result<VfioGfxPlaneInfo>? Answer(uint flags, uint offeredType)
    {
        if ((flags & VfioFlags.GfxPlaneTypeProbe) != 0)
        {
            return flags == (VfioFlags.GfxPlaneTypeProbe | offeredType) ? default(VfioGfxPlaneInfo) : Errno.EINVAL;
        }

        return flags == offeredType ? null : Errno.EINVAL;
    }
}
