namespace MdevCore.Vfio;

/// <summary>Flag and index values of the VFIO device uAPI.</summary>
/// <remarks>Kernel: <c>include/uapi/linux/vfio.h</c>. Thread safety: constants.</remarks>
public static class VfioFlags
{
    /// <summary>Device flag: supports VFIO_DEVICE_RESET.</summary>
    public const uint DeviceReset = 1u << 0;

    /// <summary>Device flag: a PCI device.</summary>
    public const uint DevicePci = 1u << 1;

    /// <summary>Device flag: a platform device.</summary>
    public const uint DevicePlatform = 1u << 2;

    /// <summary>Device flag: capabilities follow the info.</summary>
    public const uint DeviceCaps = 1u << 7;

    /// <summary>Region flag: readable.</summary>
    public const uint RegionRead = 1u << 0;

    /// <summary>Region flag: writable.</summary>
    public const uint RegionWrite = 1u << 1;

    /// <summary>Region flag: mappable.</summary>
    public const uint RegionMmap = 1u << 2;

    /// <summary>Region flag: a capability chain follows.</summary>
    public const uint RegionCaps = 1u << 3;

    /// <summary>IRQ info flag: signalled through an eventfd.</summary>
    public const uint IrqEventfd = 1u << 0;

    /// <summary>IRQ info flag: can be masked.</summary>
    public const uint IrqMaskable = 1u << 1;

    /// <summary>IRQ info flag: masked after each signal until unmasked (level style).</summary>
    public const uint IrqAutomasked = 1u << 2;

    /// <summary>IRQ info flag: the index must be disabled before it can be resized.</summary>
    public const uint IrqNoResize = 1u << 3;

    /// <summary>SET_IRQS data type: none.</summary>
    public const uint IrqSetDataNone = 1u << 0;

    /// <summary>SET_IRQS data type: one byte per vector.</summary>
    public const uint IrqSetDataBool = 1u << 1;

    /// <summary>SET_IRQS data type: one signed 32-bit eventfd per vector (-1 de-assigns).</summary>
    public const uint IrqSetDataEventfd = 1u << 2;

    /// <summary>SET_IRQS action: mask.</summary>
    public const uint IrqSetActionMask = 1u << 3;

    /// <summary>SET_IRQS action: unmask.</summary>
    public const uint IrqSetActionUnmask = 1u << 4;

    /// <summary>SET_IRQS action: trigger.</summary>
    public const uint IrqSetActionTrigger = 1u << 5;

    /// <summary>All data-type bits.</summary>
    public const uint IrqSetDataTypeMask = IrqSetDataNone | IrqSetDataBool | IrqSetDataEventfd;

    /// <summary>All action bits.</summary>
    public const uint IrqSetActionTypeMask = IrqSetActionMask | IrqSetActionUnmask | IrqSetActionTrigger;

    /// <summary>vfio-pci region index of the config space.</summary>
    public const uint PciConfigRegionIndex = 7;

    /// <summary>Number of fixed vfio-pci region indexes (BAR0-5, ROM, CONFIG, VGA).</summary>
    public const uint PciNumRegions = 9;

    /// <summary>vfio-pci IRQ index of INTx.</summary>
    public const uint PciIntxIrqIndex = 0;

    /// <summary>vfio-pci IRQ index of MSI.</summary>
    public const uint PciMsiIrqIndex = 1;

    /// <summary>Number of vfio-pci IRQ indexes (INTx, MSI, MSI-X, ERR, REQ).</summary>
    public const uint PciNumIrqs = 5;

    /// <summary>Region capability id: sparse mmap areas.</summary>
    public const ushort RegionCapSparseMmap = 1;

    /// <summary>Region capability id: region type and subtype.</summary>
    public const ushort RegionCapType = 2;

    /// <summary>Region type (in <see cref="VfioRegionTypeCapability"/>): graphics (VFIO_REGION_TYPE_GFX).</summary>
    public const uint RegionTypeGfx = 1;

    /// <summary>Graphics region subtype: the EDID region (VFIO_REGION_SUBTYPE_GFX_EDID), laid out as <c>vfio_region_gfx_edid</c>.</summary>
    public const uint RegionSubtypeGfxEdid = 1;

    /// <summary>QUERY_GFX_PLANE flag: only ask whether the given plane kind is supported.</summary>
    public const uint GfxPlaneTypeProbe = 1u << 0;

    /// <summary>QUERY_GFX_PLANE flag: the plane is exported as a dma-buf.</summary>
    public const uint GfxPlaneTypeDmabuf = 1u << 1;

    /// <summary>QUERY_GFX_PLANE flag: the plane lives in a device region.</summary>
    public const uint GfxPlaneTypeRegion = 1u << 2;
}
