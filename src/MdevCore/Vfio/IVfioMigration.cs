namespace MdevCore.Vfio;

/// <summary>
/// A device that can be migrated (kernel: <c>vfio_device.migration_flags</c> with <c>struct vfio_migration_ops</c>).
/// <see cref="VfioDeviceFeature.Dispatch"/> answers VFIO_DEVICE_FEATURE for it.
/// </summary>
/// <remarks>Called outside every core lock; the device serializes its own state.</remarks>
public interface IVfioMigration
{
    /// <summary>The supported flags (<see cref="VfioMigrationCapabilities.StopCopy"/> at least).</summary>
    VfioMigrationCapabilities MigrationFlags { get; }

    /// <summary>migration_set_state: moves to <paramref name="target"/>, normally one arc at a time through
    /// <see cref="VfioMigrationStateMachine.GetNextState"/>.</summary>
    /// <param name="target">The requested state (any number the caller sent).</param>
    /// <returns>The data file the last arc opens (STOP_COPY, RESUMING, PRE_COPY), <see langword="null"/> when it opens
    /// none, or the errno (<see cref="Errno.EINVAL"/> for a state or arc the device does not support).</returns>
    Result<VfioMigrationStream?> SetState(VfioMigrationState target);

    /// <summary>migration_get_state.</summary>
    /// <returns>The current state, or the errno.</returns>
    Result<VfioMigrationState> GetState();

    /// <summary>migration_get_data_size: the estimated length of the STOP_COPY stream.</summary>
    /// <returns>The byte count, or the errno.</returns>
    Result<ulong> GetDataSize();
}
