namespace MdevCore.Vfio;

/// <summary>What a device's migration supports (<c>VFIO_MIGRATION_*</c>, the flags of <c>struct vfio_device_feature_migration</c>).</summary>
/// <remarks>Thread safety: a value type.</remarks>
[Flags]
public enum VfioMigrationCapabilities : ulong
{
    /// <summary>No migration.</summary>
    None = 0,

    /// <summary>VFIO_MIGRATION_STOP_COPY: STOP, RUNNING, STOP_COPY and RESUMING (mandatory for migration).</summary>
    StopCopy = 1 << 0,

    /// <summary>VFIO_MIGRATION_P2P: adds RUNNING_P2P.</summary>
    P2P = 1 << 1,

    /// <summary>VFIO_MIGRATION_PRE_COPY: adds PRE_COPY (and PRE_COPY_P2P with <see cref="P2P"/>).</summary>
    PreCopy = 1 << 2,
}
