namespace MdevCore.Reliability.Stress;

/// <summary>What a churn run did and found.</summary>
public sealed class ChurnResult
{
    /// <summary>The options of the run.</summary>
    public required ChurnOptions Options { get; init; }

    /// <summary>Operations performed.</summary>
    public required long Operations { get; init; }

    /// <summary>Wall time of the workload (without audit and teardown).</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Per operation kind: how many succeeded and how many returned an errno.</summary>
    public required IReadOnlyDictionary<string, (long Succeeded, long Failed)> Outcomes { get; init; }

    /// <summary>Invariant violations after quiescing, and residue after teardown.</summary>
    public required IReadOnlyList<string> Violations { get; init; }

    /// <summary>Exceptions that escaped an operation.</summary>
    public required IReadOnlyList<string> Exceptions { get; init; }

    /// <summary>Operations the watchdog saw stuck.</summary>
    public required IReadOnlyList<string> Hangs { get; init; }

    /// <summary>Whether nothing went wrong.</summary>
    public bool Clean => Violations.Count == 0 && Exceptions.Count == 0 && Hangs.Count == 0;

    /// <inheritdoc/>
    public override string ToString() =>
        $"churn {Options.Profile}: {Operations:N0} ops on {Options.Threads} threads in {Elapsed.TotalSeconds:0.0} s; " +
        $"{Violations.Count} violations, {Exceptions.Count} exceptions, {Hangs.Count} hangs";
}
