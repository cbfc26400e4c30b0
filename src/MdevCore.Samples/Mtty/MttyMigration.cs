using MdevCore.Vfio;
using static MdevCore.Vfio.VfioMigrationState;

namespace MdevCore.Samples.Mtty;

/// <summary>
/// mtty's migration state (kernel 6.7+: <c>mtty_set_state</c>, <c>mtty_step_state</c>, <c>mtty_save_device_data</c>,
/// <c>mtty_resume_device_data</c>, <c>mtty_load_state</c>, <c>mtty_reset</c>'s deferred reset, <c>mtty_close</c>).
/// </summary>
/// <remarks>
/// The device supports STOP_COPY, P2P and PRE_COPY. The P2P arcs and PRE_COPY&lt;-&gt;PRE_COPY_P2P do nothing (mtty
/// does no DMA). RUNNING -&gt; PRE_COPY and RUNNING_P2P -&gt; PRE_COPY_P2P open a saving file holding only the header;
/// PRE_COPY_P2P -&gt; STOP_COPY appends the ports to that same file and hands out no new one; STOP -&gt; STOP_COPY
/// opens a saving file with header and ports; STOP -&gt; RESUMING opens a resuming file; RESUMING -&gt; STOP loads
/// it (<see cref="Errno.EINVAL"/> while incomplete, the state stays RESUMING); the arcs back to RUNNING,
/// RUNNING_P2P and STOP close the files, whose later reads and writes give ENODEV. Guest accesses keep working in
/// every state, as in the sample. Thread safety: not thread-safe; the device calls it under its lock.
/// </remarks>
internal sealed class MttyMigration
{
    public const VfioMigrationCapabilities Capabilities =
        VfioMigrationCapabilities.StopCopy | VfioMigrationCapabilities.P2P | VfioMigrationCapabilities.PreCopy;

    private readonly Uart16550[] _uarts;
    private readonly int _ports;
    private readonly Func<bool> _inPreCopy;
    private MttyMigrationFile? _saving;
    private MttyMigrationFile? _resuming;

    public MttyMigration(Uart16550[] uarts, int ports, Func<bool> inPreCopy)
    {
        _uarts = uarts;
        _ports = ports;
        _inPreCopy = inPreCopy;
    }

    public VfioMigrationState State { get; private set; } = Running;

    public ulong DataSize => (ulong)MttyMigrationData.Size(_ports);

    /// <summary>mtty_set_state: one arc at a time; the state stays at the last arc that succeeded.</summary>
    public Result<VfioMigrationStream?> SetState(VfioMigrationState target)
    {
        VfioMigrationStream? file = null;
        while (State != target)
        {
            Result<VfioMigrationState> next = VfioMigrationStateMachine.GetNextState(Capabilities, State, target);
            if (!next.TryGetValue(out VfioMigrationState step))
            {
                return Result<VfioMigrationStream?>.Fail(next.Error);
            }

            Result<VfioMigrationStream?> stepped = Step(step);
            if (!stepped.TryGetValue(out file))
            {
                return stepped;
            }

            State = step;
        }

        return Result<VfioMigrationStream?>.Ok(file);
    }

    /// <summary>VFIO_DEVICE_RESET (the deferred reset of mtty_state_mutex_unlock): back to RUNNING, files closed.</summary>
    public void Reset()
    {
        State = Running;
        DisableFiles();
    }

    /// <summary>mtty_disable_files (close_device, reset, the closing arcs).</summary>
    public void DisableFiles()
    {
        _saving?.Disable();
        _saving = null;
        _resuming?.Disable();
        _resuming = null;
    }

    private Result<VfioMigrationStream?> Step(VfioMigrationState next)
    {
        VfioMigrationState current = State;
        if ((current, next) is (Running, RunningP2P) or (RunningP2P, Running) or (RunningP2P, Stop)
            or (PreCopy, PreCopyP2P) or (PreCopyP2P, PreCopy) or (Stop, RunningP2P))
        {
            return Result<VfioMigrationStream?>.Ok(null);
        }

        if ((current, next) is (Resuming, Stop))
        {
            Errno loaded = _resuming?.LoadInto(_uarts) ?? Errno.EINVAL;
            if (loaded != Errno.None)
            {
                return Result<VfioMigrationStream?>.Fail(loaded);
            }

            DisableFiles();
            return Result<VfioMigrationStream?>.Ok(null);
        }

        if ((current, next) is (PreCopy, Running) or (PreCopyP2P, RunningP2P) or (StopCopy, Stop))
        {
            DisableFiles();
            return Result<VfioMigrationStream?>.Ok(null);
        }

        if ((current, next) is (Running, PreCopy) or (RunningP2P, PreCopyP2P) or (Stop, StopCopy) or (PreCopyP2P, StopCopy))
        {
            return Result<VfioMigrationStream?>.Ok(SaveDeviceData(next));
        }

        if ((current, next) is (Stop, Resuming))
        {
            _resuming = MttyMigrationFile.ForResuming(_ports);
            return Result<VfioMigrationStream?>.Ok(_resuming);
        }

        return Result<VfioMigrationStream?>.Fail(Errno.EINVAL); // No other arc comes out of vfio_mig_get_next_state.
    }

    /// <summary>mtty_save_device_data: an existing saving file only gets the ports (STOP_COPY) and is not handed out again.</summary>
    private MttyMigrationFile? SaveDeviceData(VfioMigrationState next)
    {
        if (_saving is not null)
        {
            if (next == StopCopy)
            {
                _saving.Append(_uarts);
            }

            return null;
        }

        _saving = MttyMigrationFile.ForSaving(_ports, _inPreCopy);
        if (next == StopCopy)
        {
            _saving.Append(_uarts);
        }

        return _saving;
    }
}
