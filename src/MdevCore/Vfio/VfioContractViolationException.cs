namespace MdevCore.Vfio;

/// <summary>
/// A vendor driver broke the pinning contract: it kept pages pinned in a range being unmapped after
/// being asked to unpin them repeatedly (the kernel's type1 driver crashes with BUG_ON there).
/// </summary>
/// <remarks>Thread safety: immutable after construction.</remarks>
public sealed class VfioContractViolationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public VfioContractViolationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was violated.</param>
    public VfioContractViolationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What was violated.</param>
    /// <param name="innerException">The cause.</param>
    public VfioContractViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
