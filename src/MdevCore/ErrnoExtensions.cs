namespace MdevCore;

/// <summary>Helpers for <see cref="Errno"/> values.</summary>
/// <remarks>Thread safety: all members are pure functions.</remarks>
public static class ErrnoExtensions
{
    /// <summary>Returns the C library's message for the errno, as <c>strerror(3)</c> prints it.</summary>
    /// <param name="error">The errno.</param>
    /// <returns>The message, for example "File exists" for <see cref="Errno.EEXIST"/>.</returns>
    public static string Describe(this Errno error) => error switch
    {
        Errno.None => "Success",
        Errno.EPERM => "Operation not permitted",
        Errno.ENOENT => "No such file or directory",
        Errno.EIO => "Input/output error",
        Errno.E2BIG => "Argument list too long",
        Errno.EBADF => "Bad file descriptor",
        Errno.EAGAIN => "Resource temporarily unavailable",
        Errno.ENOMEM => "Cannot allocate memory",
        Errno.EACCES => "Permission denied",
        Errno.EFAULT => "Bad address",
        Errno.EBUSY => "Device or resource busy",
        Errno.EEXIST => "File exists",
        Errno.ENODEV => "No such device",
        Errno.ENOTDIR => "Not a directory",
        Errno.EISDIR => "Is a directory",
        Errno.EINVAL => "Invalid argument",
        Errno.ENOTTY => "Inappropriate ioctl for device",
        Errno.EFBIG => "File too large",
        Errno.ENOSPC => "No space left on device",
        Errno.EROFS => "Read-only file system",
        Errno.ERANGE => "Numerical result out of range",
        Errno.ENAMETOOLONG => "File name too long",
        Errno.ENOSYS => "Function not implemented",
        Errno.ENOTEMPTY => "Directory not empty",
        Errno.ELOOP => "Too many levels of symbolic links",
        Errno.EUSERS => "Too many users",
        Errno.EOPNOTSUPP => "Operation not supported",
        Errno.ETIMEDOUT => "Connection timed out",
        Errno.EPROBE_DEFER => "Unknown error 517",
        _ => "Unknown error " + ((int)error).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Throws an <see cref="MdevException"/> carrying <paramref name="error"/> unless it is <see cref="Errno.None"/>.</summary>
    /// <param name="error">The result of a kernel-style operation.</param>
    /// <exception cref="MdevException">The operation failed.</exception>
    public static void ThrowIfFailed(this Errno error)
    {
        if (error != Errno.None)
        {
            throw new MdevException(error);
        }
    }
}
