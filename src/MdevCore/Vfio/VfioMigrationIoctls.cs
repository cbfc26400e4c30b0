namespace MdevCore.Vfio;

/// <summary>
/// Numbers of the VFIO migration v2 uAPI: the VFIO_DEVICE_FEATURE ioctl, its flag bits and feature ids, and the
/// ioctl of a migration data file.
/// </summary>
/// <remarks>Kernel: <c>include/uapi/linux/vfio.h</c>. Thread safety: constants.</remarks>
public static class VfioMigrationIoctls
{
    /// <summary>VFIO_DEVICE_FEATURE: <c>_IO(';', 100 + 17)</c>; argument <c>struct vfio_device_feature { argsz, flags, data[] }</c>.</summary>
    public const uint DeviceFeature = 0x3B75;

    /// <summary>VFIO_MIG_GET_PRECOPY_INFO: <c>_IO(';', 100 + 21)</c>, on a PRE_COPY data file; argument <c>struct vfio_precopy_info</c> (24 bytes).</summary>
    public const uint MigGetPrecopyInfo = 0x3B79;

    /// <summary>VFIO_DEVICE_FEATURE_MASK: the low 16 bits of flags name the feature.</summary>
    public const uint FeatureMask = 0xffff;

    /// <summary>VFIO_DEVICE_FEATURE_GET.</summary>
    public const uint FeatureGet = 1u << 16;

    /// <summary>VFIO_DEVICE_FEATURE_SET.</summary>
    public const uint FeatureSet = 1u << 17;

    /// <summary>VFIO_DEVICE_FEATURE_PROBE: asks whether GET and/or SET are supported, without doing them.</summary>
    public const uint FeatureProbe = 1u << 18;

    /// <summary>VFIO_DEVICE_FEATURE_MIGRATION (GET): <c>struct vfio_device_feature_migration { u64 flags; }</c>.</summary>
    public const uint FeatureMigration = 1;

    /// <summary>VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE (GET, SET): <c>struct vfio_device_feature_mig_state { u32 device_state; s32 data_fd; }</c>.</summary>
    public const uint FeatureMigDeviceState = 2;

    /// <summary>VFIO_DEVICE_FEATURE_MIG_DATA_SIZE (GET): <c>struct vfio_device_feature_mig_data_size { u64 stop_copy_length; }</c>.</summary>
    public const uint FeatureMigDataSize = 9;

    /// <summary>The size of <c>struct vfio_device_feature</c>'s header (argsz and flags).</summary>
    public const int FeatureHeaderSize = 8;
}
