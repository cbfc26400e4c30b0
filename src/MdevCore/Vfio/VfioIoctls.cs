namespace MdevCore.Vfio;

/// <summary>VFIO ioctl numbers: <c>_IO(';', 100 + n)</c>, so the value is <c>0x3B00 | (100 + n)</c>.</summary>
/// <remarks>Kernel: <c>include/uapi/linux/vfio.h</c>. Thread safety: constants.</remarks>
public static class VfioIoctls
{
    /// <summary>VFIO_GET_API_VERSION.</summary>
    public const uint GetApiVersion = 0x3B64;

    /// <summary>VFIO_CHECK_EXTENSION.</summary>
    public const uint CheckExtension = 0x3B65;

    /// <summary>VFIO_SET_IOMMU.</summary>
    public const uint SetIommu = 0x3B66;

    /// <summary>VFIO_GROUP_GET_STATUS.</summary>
    public const uint GroupGetStatus = 0x3B67;

    /// <summary>VFIO_GROUP_SET_CONTAINER.</summary>
    public const uint GroupSetContainer = 0x3B68;

    /// <summary>VFIO_GROUP_UNSET_CONTAINER.</summary>
    public const uint GroupUnsetContainer = 0x3B69;

    /// <summary>VFIO_GROUP_GET_DEVICE_FD.</summary>
    public const uint GroupGetDeviceFd = 0x3B6A;

    /// <summary>VFIO_DEVICE_GET_INFO.</summary>
    public const uint DeviceGetInfo = 0x3B6B;

    /// <summary>VFIO_DEVICE_GET_REGION_INFO.</summary>
    public const uint DeviceGetRegionInfo = 0x3B6C;

    /// <summary>VFIO_DEVICE_GET_IRQ_INFO.</summary>
    public const uint DeviceGetIrqInfo = 0x3B6D;

    /// <summary>VFIO_DEVICE_SET_IRQS.</summary>
    public const uint DeviceSetIrqs = 0x3B6E;

    /// <summary>VFIO_DEVICE_RESET.</summary>
    public const uint DeviceReset = 0x3B6F;

    /// <summary>VFIO_DEVICE_QUERY_GFX_PLANE.</summary>
    public const uint DeviceQueryGfxPlane = 0x3B72;

    /// <summary>VFIO_DEVICE_GET_GFX_DMABUF.</summary>
    public const uint DeviceGetGfxDmabuf = 0x3B73;
}
