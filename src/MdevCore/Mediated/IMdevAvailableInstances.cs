namespace MdevCore.Mediated;

/// <summary>Optional: the vendor counts available instances itself (kernel: <c>get_available</c>).</summary>
/// <remarks>
/// When implemented, <c>available_instances</c> shows this value and the core keeps no counter; the
/// vendor enforces its limit in <see cref="IMdevParentOps.Create"/> (the samples return <see cref="Errno.ENOSPC"/>).
/// Called outside every core lock.
/// </remarks>
public interface IMdevAvailableInstances
{
    /// <summary>How many more devices of <paramref name="type"/> can be created now.</summary>
    /// <param name="type">The type.</param>
    /// <returns>A non-negative count.</returns>
    int GetAvailableInstances(MdevType type);
}
