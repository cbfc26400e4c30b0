namespace MdevCore.Reliability.Faults;

/// <summary>What an injected fault does when its callback is reached.</summary>
public enum FaultKind
{
    /// <summary>The callback throws <see cref="InjectedFaultException"/>.</summary>
    Throw,

    /// <summary>The callback returns the fault's errno (a callback without a result just returns).</summary>
    Errno,

    /// <summary>The callback blocks for <see cref="FaultyVendor.BlockFor"/> (or until <see cref="FaultyVendor.Unblock"/>), then goes on normally.</summary>
    Block,
}

/// <summary>An exception a test vendor throws on purpose.</summary>
/// <param name="callback">The callback that threw.</param>
public sealed class InjectedFaultException(string callback) : Exception("injected fault in " + callback);

/// <summary>One planned fault: at the <paramref name="AtCall"/>th call (1 = first) of <paramref name="Callback"/>.</summary>
/// <param name="Callback">One of <see cref="FaultyVendor.Callbacks"/>.</param>
/// <param name="AtCall">The call number the fault fires at.</param>
/// <param name="Kind">What the fault does.</param>
/// <param name="Error">The errno of an <see cref="FaultKind.Errno"/> fault.</param>
public readonly record struct FaultPlan(string Callback, int AtCall, FaultKind Kind, Errno Error = Errno.EIO)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Callback}#{AtCall} {(Kind == FaultKind.Errno ? Error.ToString() : Kind.ToString())}";
}
