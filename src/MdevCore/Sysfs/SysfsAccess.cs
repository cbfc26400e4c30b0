namespace MdevCore.Sysfs;

/// <summary>How an attribute is opened, as the <c>O_ACCMODE</c> bits of <c>open(2)</c>.</summary>
/// <remarks>Thread safety: immutable.</remarks>
[Flags]
public enum SysfsAccess
{
    /// <summary>Open for reading (<c>O_RDONLY</c>).</summary>
    Read = 1,

    /// <summary>Open for writing (<c>O_WRONLY</c>).</summary>
    Write = 2,

    /// <summary>Open for reading and writing (<c>O_RDWR</c>).</summary>
    ReadWrite = Read | Write,
}
