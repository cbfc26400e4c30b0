namespace MdevCore.Sysfs;

/// <summary>Takes a value written to an attribute (the kernel's <c>store</c>).</summary>
/// <param name="owner">The object the attribute was created for (a device, a type, ...).</param>
/// <param name="data">The bytes of one <c>write(2)</c> call, at most 4096, never empty.</param>
/// <returns><see cref="Errno.None"/> to accept all bytes, or the errno the writer sees.</returns>
/// <remarks>Called outside every core lock.</remarks>
public delegate Errno SysfsStore(object? owner, ReadOnlySpan<byte> data);
