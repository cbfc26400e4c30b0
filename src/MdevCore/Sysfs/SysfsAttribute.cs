namespace MdevCore.Sysfs;

/// <summary>An attribute definition: a name, a mode and its show/store callbacks.</summary>
/// <remarks>
/// Kernel: <c>struct attribute</c> with <c>DEVICE_ATTR_RO/WO/RW</c>. One definition serves every
/// object it is attached to; the callbacks receive that object as their owner.
/// Thread safety: immutable.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Kernel vocabulary: a sysfs attribute.")]
public sealed class SysfsAttribute
{
    /// <summary>Defines an attribute.</summary>
    /// <param name="name">The file name; no slash, not empty.</param>
    /// <param name="mode">The permission bits (0444, 0200, 0644, ...).</param>
    /// <param name="show">Formats the value; required when the mode has a read bit.</param>
    /// <param name="store">Takes a write; required when the mode has a write bit.</param>
    /// <exception cref="ArgumentException">The name is invalid, or a callback the mode needs is missing.</exception>
    public SysfsAttribute(string name, UnixFileMode mode, SysfsShow? show, SysfsStore? store)
    {
        SysfsNames.Validate(name);
        if (HasRead(mode) && show is null)
        {
            throw new ArgumentException($"Attribute '{name}' is readable but has no show callback.", nameof(show));
        }

        if (HasWrite(mode) && store is null)
        {
            throw new ArgumentException($"Attribute '{name}' is writable but has no store callback.", nameof(store));
        }

        Name = name;
        Mode = mode;
        Show = show;
        Store = store;
    }

    private SysfsAttribute(string name, UnixFileMode mode, Func<object?, long> size, SysfsBinaryRead? read, SysfsBinaryWrite? write)
    {
        SysfsNames.Validate(name);
        if (HasRead(mode) && read is null)
        {
            throw new ArgumentException($"Binary attribute '{name}' is readable but has no read callback.", nameof(read));
        }

        if (HasWrite(mode) && write is null)
        {
            throw new ArgumentException($"Binary attribute '{name}' is writable but has no write callback.", nameof(write));
        }

        Name = name;
        Mode = mode;
        BinaryRead = read;
        BinaryWrite = write;
        _binarySize = size;
    }

    private readonly Func<object?, long>? _binarySize;

    /// <summary>The file name.</summary>
    public string Name { get; }

    /// <summary>The permission bits.</summary>
    public UnixFileMode Mode { get; }

    /// <summary>The show callback, if any.</summary>
    public SysfsShow? Show { get; }

    /// <summary>The store callback, if any.</summary>
    public SysfsStore? Store { get; }

    /// <summary>The read callback of a binary attribute, if any.</summary>
    public SysfsBinaryRead? BinaryRead { get; }

    /// <summary>The write callback of a binary attribute, if any.</summary>
    public SysfsBinaryWrite? BinaryWrite { get; }

    /// <summary>Whether this is a binary attribute (<c>struct bin_attribute</c>): read and written at an offset, with a size.</summary>
    public bool IsBinary => _binarySize is not null;

    /// <summary>Whether the mode grants reading to anyone.</summary>
    public bool IsReadable => HasRead(Mode);

    /// <summary>Whether the mode grants writing to anyone.</summary>
    public bool IsWritable => HasWrite(Mode);

    /// <summary>Defines a 0444 attribute.</summary>
    /// <param name="name">The file name.</param>
    /// <param name="show">Formats the value.</param>
    /// <returns>The definition.</returns>
    public static SysfsAttribute ReadOnly(string name, SysfsShow show) =>
        new(name, Modes.ReadOnly, show, null);

    /// <summary>Defines a 0444 attribute whose owner is a <typeparamref name="TOwner"/>.</summary>
    /// <typeparam name="TOwner">The type of the objects it is attached to.</typeparam>
    /// <param name="name">The file name.</param>
    /// <param name="show">Formats the value.</param>
    /// <returns>The definition.</returns>
    public static SysfsAttribute ReadOnly<TOwner>(string name, Func<TOwner, Result<string>> show)
    {
        ArgumentNullException.ThrowIfNull(show);
        return new(name, Modes.ReadOnly, owner => show((TOwner)owner!), null);
    }

    /// <summary>Defines a 0200 attribute.</summary>
    /// <param name="name">The file name.</param>
    /// <param name="store">Takes a write.</param>
    /// <returns>The definition.</returns>
    public static SysfsAttribute WriteOnly(string name, SysfsStore store) =>
        new(name, Modes.WriteOnly, null, store);

    /// <summary>Defines a 0644 attribute.</summary>
    /// <param name="name">The file name.</param>
    /// <param name="show">Formats the value.</param>
    /// <param name="store">Takes a write.</param>
    /// <returns>The definition.</returns>
    public static SysfsAttribute ReadWrite(string name, SysfsShow show, SysfsStore store) =>
        new(name, Modes.ReadWrite, show, store);

    /// <summary>Defines a 0444 attribute with a fixed value.</summary>
    /// <param name="name">The file name.</param>
    /// <param name="value">The value, newline included.</param>
    /// <returns>The definition.</returns>
    public static SysfsAttribute Constant(string name, string value)
    {
        Result<string> result = Result<string>.Ok(value);
        return new(name, Modes.ReadOnly, _ => result, null);
    }

    /// <summary>
    /// Defines a binary attribute (<c>BIN_ATTR</c>), such as a PCI device's <c>config</c>: reads and writes carry an
    /// offset, reach the callbacks clamped to the size, and <c>stat</c> reports the size.
    /// </summary>
    /// <param name="name">The file name.</param>
    /// <param name="mode">The permission bits (0644, 0400, ...).</param>
    /// <param name="size">The size for a given owner (the kernel's <c>bin_size</c>); 0 for no limit.</param>
    /// <param name="read">Reads at an offset; required when the mode has a read bit.</param>
    /// <param name="write">Writes at an offset; required when the mode has a write bit.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentException">The name is invalid, or a callback the mode needs is missing.</exception>
    public static SysfsAttribute Binary(string name, UnixFileMode mode, Func<object?, long> size, SysfsBinaryRead? read, SysfsBinaryWrite? write)
    {
        ArgumentNullException.ThrowIfNull(size);
        return new(name, mode, size, read, write);
    }

    /// <summary>What <c>stat</c> reports for the attribute of <paramref name="owner"/>: 4096 for a text attribute, the size of a binary one.</summary>
    internal long SizeFor(object? owner) => _binarySize is null ? SysfsOpenFile.PageSize : _binarySize(owner);

    private static bool HasRead(UnixFileMode mode) =>
        (mode & (UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0;

    private static bool HasWrite(UnixFileMode mode) =>
        (mode & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0;

    /// <summary>The usual sysfs modes.</summary>
    public static class Modes
    {
        /// <summary>0444.</summary>
        public const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

        /// <summary>0200.</summary>
        public const UnixFileMode WriteOnly = UnixFileMode.UserWrite;

        /// <summary>0644.</summary>
        public const UnixFileMode ReadWrite = ReadOnly | UnixFileMode.UserWrite;

        /// <summary>0755, the mode of every sysfs directory.</summary>
        public const UnixFileMode Directory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

        /// <summary>0777, the mode of every symlink.</summary>
        public const UnixFileMode Symlink = (UnixFileMode)0x1FF;
    }
}
