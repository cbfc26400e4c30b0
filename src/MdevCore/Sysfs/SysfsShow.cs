namespace MdevCore.Sysfs;

/// <summary>Formats an attribute's value (the kernel's <c>show</c>).</summary>
/// <param name="owner">The object the attribute was created for (a device, a type, ...).</param>
/// <returns>The text, usually ending in a newline; or an errno that the reader sees.</returns>
/// <remarks>Called outside every core lock. At most 4096 bytes of the text are visible, as with <c>sysfs_emit</c>.</remarks>
public delegate Result<string> SysfsShow(object? owner);
