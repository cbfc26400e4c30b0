namespace MdevCore.Vfio;

/// <summary>IOMMU models a container can be set to (<c>VFIO_SET_IOMMU</c> / <c>VFIO_CHECK_EXTENSION</c> values).</summary>
/// <remarks>Thread safety: constants.</remarks>
public static class VfioIommuType
{
    /// <summary>VFIO_TYPE1_IOMMU.</summary>
    public const int Type1 = 1;

    /// <summary>VFIO_SPAPR_TCE_IOMMU (refused for emulated groups).</summary>
    public const int SpaprTce = 2;

    /// <summary>VFIO_TYPE1v2_IOMMU.</summary>
    public const int Type1v2 = 3;

    /// <summary>The API version VFIO_GET_API_VERSION returns.</summary>
    public const int ApiVersion = 0;

    /// <summary>The page size of the simulated IOMMU.</summary>
    public const long PageSize = 4096;
}
