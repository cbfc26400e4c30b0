namespace MdevCore.Reliability.Fuzz;

/// <summary>What a fuzz run did and found.</summary>
/// <param name="Profile">The host's profile.</param>
/// <param name="Inputs">Inputs tried (attribute writes and path calls).</param>
/// <param name="Targets">Writable attributes found on the host.</param>
/// <param name="Errnos">How many inputs ended in an errno (the expected outcome of most).</param>
/// <param name="Exceptions">Inputs whose outcome was an exception, not an errno.</param>
/// <param name="Violations">Invariant violations found by the audits, and failures of the healthy life afterwards.</param>
/// <param name="Hangs">Inputs that did not return.</param>
public sealed record FuzzResult(KernelProfile Profile, long Inputs, int Targets, long Errnos, IReadOnlyList<string> Exceptions,
    IReadOnlyList<string> Violations, IReadOnlyList<string> Hangs)
{
    /// <summary>Whether nothing went wrong.</summary>
    public bool Clean => Exceptions.Count == 0 && Violations.Count == 0 && Hangs.Count == 0;

    /// <inheritdoc/>
    public override string ToString() =>
        $"fuzz {Profile}: {Inputs:N0} inputs on {Targets} writable attributes and the path API ({Errnos:N0} errnos); " +
        $"{Exceptions.Count} non-errno outcomes, {Violations.Count} violations, {Hangs.Count} hangs";
}
