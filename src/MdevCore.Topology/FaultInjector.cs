namespace MdevCore.Topology;

/// <summary>Decides, call by call, whether one of a parent's faults fires.</summary>
/// <remarks>Each fault counts the calls that match it; once it has let <see cref="FaultModel.After"/> of them pass,
/// every further matching call fails. Thread safety: thread-safe (one lock around the counters).</remarks>
internal sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private readonly FaultModel[] _faults;
    private readonly int[] _calls;

    public FaultInjector(IReadOnlyList<FaultModel> faults)
    {
        _faults = [.. faults];
        _calls = new int[_faults.Length];
    }

    /// <summary>Whether the parent has any fault on <paramref name="path"/> (a cheap check before <see cref="Fire"/>).</summary>
    public bool Covers(FaultPath path) => Array.Exists(_faults, f => f.On == path);

    /// <summary>Counts one call on <paramref name="path"/> and returns the first fault that fires for it.</summary>
    /// <param name="path">The vendor path being called.</param>
    /// <param name="uuid">The device the call is about, or <see langword="null"/> (available_instances).</param>
    /// <param name="type">The type's sysfs name (after the driver prefix).</param>
    /// <param name="attribute">The attribute key, for <see cref="FaultPath.Store"/>.</param>
    /// <returns>The fault, or <see langword="null"/> when the call goes ahead normally.</returns>
    public FaultModel? Fire(FaultPath path, Guid? uuid, string type, string? attribute = null)
    {
        if (_faults.Length == 0)
        {
            return null;
        }

        FaultModel? fired = null;
        lock (_lock)
        {
            for (int i = 0; i < _faults.Length; i++)
            {
                FaultModel f = _faults[i];
                if (f.On != path || (f.Uuid is { } u && u != uuid) || (f.Type is { } t && t != type)
                    || (f.Attribute is { } a && a != attribute))
                {
                    continue;
                }

                if (++_calls[i] > f.After)
                {
                    fired ??= f;
                }
            }
        }

        return fired;
    }
}
