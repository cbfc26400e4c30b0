using System.Diagnostics.CodeAnalysis;

namespace MdevCore;

/// <summary>A value, or the errno that explains why there is none.</summary>
/// <typeparam name="T">The type of the value.</typeparam>
/// <remarks>
/// Kernel-style operations return this instead of throwing: the errno is the behaviour being
/// simulated, and failures such as <see cref="Errno.EEXIST"/> are routine.
/// Thread safety: immutable.
/// </remarks>
public readonly struct Result<T> : IEquatable<Result<T>>
{
    private readonly T? _value;

    private Result(T? value, Errno error)
    {
        _value = value;
        Error = error;
    }

    /// <summary>The errno, or <see cref="Errno.None"/> on success.</summary>
    public Errno Error { get; }

    /// <summary>Whether the operation succeeded.</summary>
    public bool Succeeded => Error == Errno.None;

    /// <summary>The value of a successful result.</summary>
    /// <exception cref="MdevException">The result is a failure.</exception>
    public T Value => Succeeded ? _value! : throw new MdevException(Error);

    /// <summary>Makes a successful result.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The result.</returns>
    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "Factory of the result type itself.")]
    public static Result<T> Ok(T value) => new(value, Errno.None);

    /// <summary>Makes a failed result.</summary>
    /// <param name="error">The errno; must not be <see cref="Errno.None"/>.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException"><paramref name="error"/> is <see cref="Errno.None"/>.</exception>
    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "Factory of the result type itself.")]
    public static Result<T> Fail(Errno error) =>
        error == Errno.None ? throw new ArgumentException("A failure needs an errno; use Ok(value) for success.", nameof(error)) : new(default, error);

    /// <summary>Turns an errno into a failed result.</summary>
    /// <param name="error">The errno; must not be <see cref="Errno.None"/>.</param>
    [SuppressMessage("Usage", "CA2225:Operator overloads have named alternates", Justification = "Fail is the named alternate.")]
    public static implicit operator Result<T>(Errno error) => Fail(error);

    /// <summary>Turns a value into a successful result.</summary>
    /// <param name="value">The value.</param>
    [SuppressMessage("Usage", "CA2225:Operator overloads have named alternates", Justification = "Ok is the named alternate.")]
    public static implicit operator Result<T>(T value) => Ok(value);

    /// <summary>Gets the value of a successful result.</summary>
    /// <param name="value">The value, when the result succeeded.</param>
    /// <returns>Whether the result succeeded.</returns>
    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        value = _value;
        return Succeeded;
    }

    /// <summary>Returns the value, or throws an <see cref="MdevException"/> carrying the errno.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="MdevException">The operation failed; the exception's <see cref="MdevException.Error"/> holds the errno.</exception>
    public T GetValueOrThrow() => Succeeded ? _value! : throw new MdevException(Error);

    /// <inheritdoc/>
    public bool Equals(Result<T> other) => Error == other.Error && EqualityComparer<T?>.Default.Equals(_value, other._value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Result<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Error, _value);

    /// <summary>Compares two results.</summary>
    /// <param name="left">The first result.</param>
    /// <param name="right">The second result.</param>
    /// <returns>Whether both hold the same errno and value.</returns>
    public static bool operator ==(Result<T> left, Result<T> right) => left.Equals(right);

    /// <summary>Compares two results.</summary>
    /// <param name="left">The first result.</param>
    /// <param name="right">The second result.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(Result<T> left, Result<T> right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => Succeeded ? $"Ok({_value})" : Error.ToString();
}
