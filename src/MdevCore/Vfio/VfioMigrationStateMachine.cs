namespace MdevCore.Vfio;

/// <summary>The arcs of VFIO migration v2: which single step leads from one state towards another.</summary>
/// <remarks>
/// Kernel: <c>vfio_mig_get_next_state</c> in <c>drivers/vfio/vfio_main.c</c>. A state whose optional feature the
/// device lacks is stepped over; a target the device does not support, a number past PRE_COPY_P2P, ERROR as a
/// target, and STOP_COPY towards PRE_COPY or PRE_COPY_P2P are <see cref="Errno.EINVAL"/>. Thread safety: stateless.
/// </remarks>
public static class VfioMigrationStateMachine
{
    private const int States = 8;

    // Row: the current state; column: the target; entry: the next state (vfio_from_fsm_table).
    private static ReadOnlySpan<byte> NextTable =>
    [
        // to:  ERR STOP RUN SCOPY RES RP2P PRE PREP2P
        /* ERROR */ 0, 0, 0, 0, 0, 0, 0, 0,
        /* STOP */ 0, 1, 5, 3, 4, 5, 5, 5,
        /* RUNNING */ 0, 5, 2, 5, 5, 5, 6, 5,
        /* STOP_COPY */ 0, 1, 1, 3, 1, 1, 0, 0,
        /* RESUMING */ 0, 1, 1, 1, 4, 1, 1, 1,
        /* RUNNING_P2P */ 0, 1, 2, 1, 1, 5, 2, 7,
        /* PRE_COPY */ 0, 2, 2, 7, 2, 2, 6, 7,
        /* PRE_COPY_P2P */ 0, 5, 5, 3, 5, 5, 6, 7,
    ];

    /// <summary>The next state on the way from <paramref name="current"/> to <paramref name="target"/>.</summary>
    /// <param name="flags">The device's migration flags.</param>
    /// <param name="current">The state the device is in.</param>
    /// <param name="target">The state asked for.</param>
    /// <returns>The next state (the target itself when one arc reaches it), or <see cref="Errno.EINVAL"/>.</returns>
    public static Result<VfioMigrationState> GetNextState(VfioMigrationCapabilities flags, VfioMigrationState current, VfioMigrationState target)
    {
        if (!Supported(flags, current) || !Supported(flags, target))
        {
            return Errno.EINVAL;
        }

        var next = (VfioMigrationState)NextTable[((int)current * States) + (int)target];
        // The kernel's loop has no exit at ERROR (its state_flags_table entry is ~0, never fully supported), so the
        // blocked arcs STOP_COPY -> PRE_COPY(_P2P) would spin there; the model stops at ERROR and answers EINVAL, the
        // result the table's comment intends.
        while (next != VfioMigrationState.Error && !Supported(flags, next))
        {
            next = (VfioMigrationState)NextTable[((int)next * States) + (int)target];
        }

        return next == VfioMigrationState.Error ? Errno.EINVAL : next;
    }

    /// <summary>Whether the device has every feature a state needs (state_flags_table); ERROR is never "supported".</summary>
    /// <param name="flags">The device's migration flags.</param>
    /// <param name="state">A state number.</param>
    /// <returns><see langword="true"/> when the state exists on the device.</returns>
    public static bool Supported(VfioMigrationCapabilities flags, VfioMigrationState state)
    {
        VfioMigrationCapabilities needs = state switch
        {
            VfioMigrationState.Stop or VfioMigrationState.Running or VfioMigrationState.StopCopy or VfioMigrationState.Resuming => VfioMigrationCapabilities.StopCopy,
            VfioMigrationState.RunningP2P => VfioMigrationCapabilities.StopCopy | VfioMigrationCapabilities.P2P,
            VfioMigrationState.PreCopy => VfioMigrationCapabilities.StopCopy | VfioMigrationCapabilities.PreCopy,
            VfioMigrationState.PreCopyP2P => VfioMigrationCapabilities.StopCopy | VfioMigrationCapabilities.P2P | VfioMigrationCapabilities.PreCopy,
            _ => (VfioMigrationCapabilities)ulong.MaxValue, // ERROR (~0U) and numbers past the table.
        };
        return (flags & needs) == needs;
    }
}
