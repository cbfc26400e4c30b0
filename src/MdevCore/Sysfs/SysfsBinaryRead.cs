namespace MdevCore.Sysfs;

/// <summary>Reads a binary attribute at an offset (the kernel's <c>bin_attribute.read</c>).</summary>
/// <param name="owner">The object the attribute was created for.</param>
/// <param name="buffer">Where the bytes go; already clamped to the attribute's size.</param>
/// <param name="offset">The byte offset, below the size.</param>
/// <returns>The number of bytes read (0 at the end), or the errno the reader sees.</returns>
/// <remarks>Called outside every core lock.</remarks>
public delegate Result<int> SysfsBinaryRead(object? owner, Span<byte> buffer, long offset);
