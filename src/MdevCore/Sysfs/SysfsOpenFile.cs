using System.Text;
using MdevCore.Diagnostics;

namespace MdevCore.Sysfs;

/// <summary>An open attribute, the counterpart of a file descriptor on a sysfs file.</summary>
/// <remarks>
/// Kernel: <c>struct kernfs_open_file</c>. Each read calls the attribute's show callback and returns
/// the part of the value from the given offset on; each write is one store call. A binary attribute
/// (<see cref="IsBinary"/>) is read and written at an offset instead, at most one page per call. A callback that throws
/// gives <see cref="Errno.EIO"/> (logged as event 302); no exception leaves a read or a write.
/// Thread safety: thread-safe; the callbacks decide what concurrent calls mean.
/// </remarks>
public sealed class SysfsOpenFile
{
    /// <summary>sysfs hands at most one page to show and store.</summary>
    public const int PageSize = 4096;

    private readonly SysfsFile _file;
    private readonly Microsoft.Extensions.Logging.ILogger _logger;

    internal SysfsOpenFile(SysfsFile file, SysfsAccess access, Microsoft.Extensions.Logging.ILogger logger)
    {
        _file = file;
        _logger = logger;
        Access = access;
    }

    /// <summary>How the file was opened.</summary>
    public SysfsAccess Access { get; }

    /// <summary>The attribute's name.</summary>
    public string Name => _file.Name;

    /// <summary>Whether the attribute is binary: read it with <see cref="Read"/>, write it with <see cref="Write(ReadOnlySpan{byte}, long)"/>.</summary>
    public bool IsBinary => _file.Attribute.IsBinary;

    /// <summary>Reads the whole value.</summary>
    /// <returns>The text; <see cref="Errno.EBADF"/> if not opened for reading; <see cref="Errno.ENODEV"/> if the
    /// attribute has been removed; <see cref="Errno.EINVAL"/> for a binary attribute, which has no text; or the show
    /// callback's errno.</returns>
    public Result<string> ReadText()
    {
        if ((Access & SysfsAccess.Read) == 0)
        {
            return Errno.EBADF;
        }

        if (IsBinary)
        {
            return Errno.EINVAL;
        }

        if (_file.IsRemoved)
        {
            return Errno.ENODEV;
        }

        Result<string> shown = CallShow();
        if (!shown.TryGetValue(out string? text))
        {
            return shown;
        }

        return text.Length <= PageSize || Encoding.UTF8.GetByteCount(text) <= PageSize ? text : Truncate(text);
    }

    /// <summary>Reads into <paramref name="buffer"/> from byte <paramref name="offset"/> of the value (<c>pread</c>).</summary>
    /// <param name="buffer">Where the bytes go.</param>
    /// <param name="offset">Byte offset into the formatted value (or the binary attribute); at or past its end the read returns 0 (EOF).</param>
    /// <returns>The number of bytes read, or the errno of <see cref="ReadText"/> or of a binary attribute's read
    /// callback; <see cref="Errno.EINVAL"/> for a negative offset.</returns>
    public Result<int> Read(Span<byte> buffer, long offset)
    {
        if (offset < 0)
        {
            return Errno.EINVAL;
        }

        if (IsBinary)
        {
            return ReadBinary(buffer, offset);
        }

        Result<string> shown = ReadText();
        if (!shown.TryGetValue(out string? text))
        {
            return shown.Error;
        }

        if (IsAscii(text))
        {
            if (offset >= text.Length)
            {
                return 0;
            }

            ReadOnlySpan<char> rest = text.AsSpan((int)offset);
            int n = Math.Min(rest.Length, buffer.Length);
            for (int i = 0; i < n; i++)
            {
                buffer[i] = (byte)rest[i];
            }

            return n;
        }

        byte[] bytes = Encoding.UTF8.GetBytes(text);
        if (offset >= bytes.Length)
        {
            return 0;
        }

        int count = Math.Min(bytes.Length - (int)offset, buffer.Length);
        bytes.AsSpan((int)offset, count).CopyTo(buffer);
        return count;
    }

    /// <summary>Writes one buffer to the attribute (<c>write</c>); sysfs passes at most one page to the store callback.</summary>
    /// <param name="data">The bytes written.</param>
    /// <returns>The number of bytes taken (0 for an empty write, which does not reach the store callback);
    /// <see cref="Errno.EBADF"/> if not opened for writing; <see cref="Errno.ENODEV"/> if removed; or the store callback's errno.</returns>
    public Result<int> Write(ReadOnlySpan<byte> data)
    {
        if ((Access & SysfsAccess.Write) == 0)
        {
            return Errno.EBADF;
        }

        if (_file.IsRemoved)
        {
            return Errno.ENODEV;
        }

        if (data.IsEmpty)
        {
            return 0;
        }

        if (data.Length > PageSize)
        {
            data = data[..PageSize];
        }

        Errno error = CallStore(data);
        return error == Errno.None ? data.Length : error;
    }

    /// <summary>Writes to a binary attribute at <paramref name="offset"/> (<c>pwrite</c>); at most one page per call,
    /// clamped to the attribute's size.</summary>
    /// <param name="data">The bytes written.</param>
    /// <param name="offset">The byte offset.</param>
    /// <returns>The number of bytes taken (0 for an empty write); <see cref="Errno.EFBIG"/> at or past the size;
    /// <see cref="Errno.EINVAL"/> for a negative offset; <see cref="Errno.EBADF"/> if not opened for writing;
    /// <see cref="Errno.ENODEV"/> if removed; or the write callback's errno. A text attribute ignores the offset, as
    /// sysfs does, and takes the write as <see cref="Write(ReadOnlySpan{byte})"/>.</returns>
    public Result<int> Write(ReadOnlySpan<byte> data, long offset)
    {
        if (!IsBinary)
        {
            return Write(data);
        }

        if ((Access & SysfsAccess.Write) == 0)
        {
            return Errno.EBADF;
        }

        if (offset < 0)
        {
            return Errno.EINVAL;
        }

        if (_file.IsRemoved)
        {
            return Errno.ENODEV;
        }

        long size = _file.Attribute.SizeFor(_file.Owner);
        if (data.Length > PageSize)
        {
            data = data[..PageSize];
        }

        if (size > 0)
        {
            if (offset >= size)
            {
                return Errno.EFBIG;
            }

            data = data[..(int)Math.Min(data.Length, size - offset)];
        }

        return data.IsEmpty ? 0 : CallBinaryWrite(data, offset);
    }

    private Result<int> ReadBinary(Span<byte> buffer, long offset)
    {
        if ((Access & SysfsAccess.Read) == 0)
        {
            return Errno.EBADF;
        }

        if (_file.IsRemoved)
        {
            return Errno.ENODEV;
        }

        long size = _file.Attribute.SizeFor(_file.Owner);
        if (buffer.Length > PageSize)
        {
            buffer = buffer[..PageSize];
        }

        if (size > 0)
        {
            if (offset >= size)
            {
                return 0;
            }

            buffer = buffer[..(int)Math.Min(buffer.Length, size - offset)];
        }

        return buffer.IsEmpty ? 0 : CallBinaryRead(buffer, offset);
    }

#pragma warning disable CA1031 // Show and store may be vendor code: a fault is the reader's or writer's EIO, never an exception.
    private Result<string> CallShow()
    {
        try
        {
            return _file.Attribute.Show!(_file.Owner);
        }
        catch (Exception ex)
        {
            Log.AttributeCallbackFailed(_logger, ex, "show", _file.FullPath);
            return Errno.EIO;
        }
    }

    private Errno CallStore(ReadOnlySpan<byte> data)
    {
        try
        {
            return _file.Attribute.Store!(_file.Owner, data);
        }
        catch (Exception ex)
        {
            Log.AttributeCallbackFailed(_logger, ex, "store", _file.FullPath);
            return Errno.EIO;
        }
    }

    private Result<int> CallBinaryRead(Span<byte> buffer, long offset)
    {
        try
        {
            return _file.Attribute.BinaryRead!(_file.Owner, buffer, offset);
        }
        catch (Exception ex)
        {
            Log.AttributeCallbackFailed(_logger, ex, "read", _file.FullPath);
            return Errno.EIO;
        }
    }

    private Result<int> CallBinaryWrite(ReadOnlySpan<byte> data, long offset)
    {
        try
        {
            return _file.Attribute.BinaryWrite!(_file.Owner, data, offset);
        }
        catch (Exception ex)
        {
            Log.AttributeCallbackFailed(_logger, ex, "write", _file.FullPath);
            return Errno.EIO;
        }
    }
#pragma warning restore CA1031

    private static bool IsAscii(string text) => System.Text.Ascii.IsValid(text);

    private static string Truncate(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        return Encoding.UTF8.GetString(bytes, 0, PageSize);
    }
}
