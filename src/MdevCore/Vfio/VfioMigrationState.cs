namespace MdevCore.Vfio;

/// <summary>The device states of VFIO migration v2 (<c>enum vfio_device_mig_state</c>, <c>include/uapi/linux/vfio.h</c>).</summary>
/// <remarks>The numbers are the uAPI's. Thread safety: a value type.</remarks>
public enum VfioMigrationState : uint
{
    /// <summary>VFIO_DEVICE_STATE_ERROR: the device failed a transition and must be reset.</summary>
    Error = 0,

    /// <summary>VFIO_DEVICE_STATE_STOP: the device does not run and its state does not change.</summary>
    Stop = 1,

    /// <summary>VFIO_DEVICE_STATE_RUNNING: normal operation (the state after open and reset).</summary>
    Running = 2,

    /// <summary>VFIO_DEVICE_STATE_STOP_COPY: stopped, its state readable through the data stream.</summary>
    StopCopy = 3,

    /// <summary>VFIO_DEVICE_STATE_RESUMING: stopped, taking a saved state through the data stream.</summary>
    Resuming = 4,

    /// <summary>VFIO_DEVICE_STATE_RUNNING_P2P: running, but not starting peer-to-peer DMA (needs <see cref="VfioMigrationCapabilities.P2P"/>).</summary>
    RunningP2P = 5,

    /// <summary>VFIO_DEVICE_STATE_PRE_COPY: running while an initial copy is read (needs <see cref="VfioMigrationCapabilities.PreCopy"/>).</summary>
    PreCopy = 6,

    /// <summary>VFIO_DEVICE_STATE_PRE_COPY_P2P: PRE_COPY without starting peer-to-peer DMA (needs both optional flags).</summary>
    PreCopyP2P = 7,
}
