namespace MdevCore;

/// <summary>
/// Linux error numbers, with the kernel's names and numeric values (x86-64 and arm64 share them).
/// </summary>
/// <remarks>
/// Kernel: <c>include/uapi/asm-generic/errno-base.h</c> and <c>errno.h</c>. A kernel-style operation
/// returns <see cref="None"/> on success or one of these on failure, never a negative value.
/// Thread safety: immutable.
/// </remarks>
public enum Errno
{
    /// <summary>Success.</summary>
    None = 0,

    /// <summary>Operation not permitted.</summary>
    EPERM = 1,

    /// <summary>No such file or directory.</summary>
    ENOENT = 2,

    /// <summary>Input/output error.</summary>
    EIO = 5,

    /// <summary>Argument list too long.</summary>
    E2BIG = 7,

    /// <summary>Bad file descriptor.</summary>
    EBADF = 9,

    /// <summary>Resource temporarily unavailable (try again).</summary>
    EAGAIN = 11,

    /// <summary>Cannot allocate memory.</summary>
    ENOMEM = 12,

    /// <summary>Permission denied.</summary>
    EACCES = 13,

    /// <summary>Bad address.</summary>
    EFAULT = 14,

    /// <summary>Device or resource busy.</summary>
    EBUSY = 16,

    /// <summary>File exists.</summary>
    EEXIST = 17,

    /// <summary>No such device.</summary>
    ENODEV = 19,

    /// <summary>Not a directory.</summary>
    ENOTDIR = 20,

    /// <summary>Is a directory.</summary>
    EISDIR = 21,

    /// <summary>Invalid argument.</summary>
    EINVAL = 22,

    /// <summary>Inappropriate ioctl for device.</summary>
    ENOTTY = 25,

    /// <summary>File too large.</summary>
    EFBIG = 27,

    /// <summary>No space left on device.</summary>
    ENOSPC = 28,

    /// <summary>Read-only file system.</summary>
    EROFS = 30,

    /// <summary>Numerical result out of range.</summary>
    ERANGE = 34,

    /// <summary>File name too long.</summary>
    ENAMETOOLONG = 36,

    /// <summary>Function not implemented.</summary>
    ENOSYS = 38,

    /// <summary>Directory not empty.</summary>
    ENOTEMPTY = 39,

    /// <summary>Too many levels of symbolic links.</summary>
    ELOOP = 40,

    /// <summary>Too many users.</summary>
    EUSERS = 87,

    /// <summary>Operation not supported.</summary>
    EOPNOTSUPP = 95,

    /// <summary>Connection timed out.</summary>
    ETIMEDOUT = 110,

    /// <summary>
    /// Kernel-internal "driver requests probe retry". Never shown to user space: the mdev core turns
    /// it into <see cref="EAGAIN"/> before a <c>create</c> write returns.
    /// </summary>
    EPROBE_DEFER = 517,
}
