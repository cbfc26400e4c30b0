namespace MdevCore.Vfio;

/// <summary>What VFIO_DEVICE_QUERY_GFX_PLANE reports (<c>struct vfio_device_gfx_plane_info</c>, 64 bytes).</summary>
/// <param name="DrmFormat">The DRM fourcc of the plane (for example 0x34325258, XRGB8888); 0 when the guest has the plane disabled.</param>
/// <param name="DrmFormatModifier">The DRM format modifier (tiling); 0 for linear.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Stride">Bytes per line.</param>
/// <param name="Size">Size of the plane in bytes.</param>
/// <param name="XPos">Horizontal position of a cursor plane.</param>
/// <param name="YPos">Vertical position of a cursor plane.</param>
/// <param name="XHot">Horizontal hotspot of a cursor plane.</param>
/// <param name="YHot">Vertical hotspot of a cursor plane.</param>
/// <param name="RegionIndexOrDmabufId">The region index (region planes) or the dma-buf id (dma-buf planes); one field in the C union.</param>
/// <remarks>Layout (little-endian): argsz @0, flags @4, drm_plane_type @8 (in), drm_format @12, drm_format_mod @16 (u64),
/// width @24, height @28, stride @32, size @36, x_pos @40, y_pos @44, x_hot @48, y_hot @52, region_index/dmabuf_id @56,
/// reserved @60. Drivers check argsz against the end of the union (60). Thread safety: immutable.</remarks>
public readonly record struct VfioGfxPlaneInfo(
    uint DrmFormat,
    ulong DrmFormatModifier,
    uint Width,
    uint Height,
    uint Stride,
    uint Size,
    uint XPos,
    uint YPos,
    uint XHot,
    uint YHot,
    uint RegionIndexOrDmabufId)
{
    /// <summary>The bytes a driver reads and writes back: up to the end of the region_index/dmabuf_id union.</summary>
    public const int MinimumSize = 60;

    /// <summary>The full size of the 6.x struct, the trailing reserved word included.</summary>
    public const int StructSize = 64;

    /// <summary>DRM_PLANE_TYPE_PRIMARY, the value a VMM puts in drm_plane_type for the main display plane.</summary>
    public const uint DrmPlaneTypePrimary = 1;

    /// <summary>DRM_PLANE_TYPE_CURSOR.</summary>
    public const uint DrmPlaneTypeCursor = 2;
}
