namespace MdevCore.Reliability.Faults;

/// <summary>The outcome of one fault-injection case.</summary>
/// <param name="Profile">The host's profile.</param>
/// <param name="Plan">The planned fault.</param>
/// <param name="Fired">Whether the scenario reached the planned call.</param>
/// <param name="Problems">Escaped exceptions, hangs, violations at rest, residue after teardown and failures of the
/// healthy life that follows; empty when the host came through.</param>
public sealed record FaultCaseResult(KernelProfile Profile, FaultPlan Plan, bool Fired, IReadOnlyList<string> Problems)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Profile} {Plan}: {(Fired ? "fired" : "not reached")}, {(Problems.Count == 0 ? "clean" : string.Join("; ", Problems))}";
}
