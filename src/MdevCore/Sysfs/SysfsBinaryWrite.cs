namespace MdevCore.Sysfs;

/// <summary>Writes a binary attribute at an offset (the kernel's <c>bin_attribute.write</c>).</summary>
/// <param name="owner">The object the attribute was created for.</param>
/// <param name="data">The bytes; already clamped to the attribute's size, never empty.</param>
/// <param name="offset">The byte offset, below the size.</param>
/// <returns>The number of bytes taken, or the errno the writer sees.</returns>
/// <remarks>Called outside every core lock.</remarks>
public delegate Result<int> SysfsBinaryWrite(object? owner, ReadOnlySpan<byte> data, long offset);
