namespace MdevCore;

/// <summary>A failed kernel-style operation turned into an exception by <c>GetValueOrThrow</c> or <c>ThrowIfFailed</c>.</summary>
/// <remarks>Thread safety: immutable after construction.</remarks>
public sealed class MdevException : Exception
{
    /// <summary>Creates the exception for <paramref name="error"/>, with the C library's message.</summary>
    /// <param name="error">The errno the operation returned.</param>
    public MdevException(Errno error)
        : base($"{error}: {error.Describe()}")
    {
        Error = error;
        HResult = (int)error;
    }

    /// <summary>Creates the exception for <paramref name="error"/> with a message of the caller's.</summary>
    /// <param name="error">The errno the operation returned.</param>
    /// <param name="message">What was being done.</param>
    public MdevException(Errno error, string message)
        : base($"{message}: {error} ({error.Describe()})")
    {
        Error = error;
        HResult = (int)error;
    }

    /// <summary>Creates an exception with no errno (<see cref="Errno.EIO"/>); for serializers and analyzers.</summary>
    public MdevException()
        : this(Errno.EIO)
    {
    }

    /// <summary>Creates an exception with no errno (<see cref="Errno.EIO"/>) and a message.</summary>
    /// <param name="message">The message.</param>
    public MdevException(string message)
        : this(Errno.EIO, message)
    {
    }

    /// <summary>Creates an exception with no errno (<see cref="Errno.EIO"/>), a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MdevException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = Errno.EIO;
        HResult = (int)Errno.EIO;
    }

    /// <summary>The errno of the failed operation.</summary>
    public Errno Error { get; }
}
