using System.Buffers.Binary;
using MdevCore.Vfio;

namespace MdevCore.Samples.Mtty;

/// <summary>The byte layout of mtty's migration data (<c>struct mtty_data</c>): a 24-byte header, then one
/// <see cref="Uart16550.StateSize"/>-byte image per port.</summary>
internal static class MttyMigrationData
{
    /// <summary>MTTY_MAGIC.</summary>
    public const ulong Magic = 0x7e9d09898c3e2c4e;

    /// <summary>offsetof(struct mtty_data, ports): magic u64, major u32, minor u32, nr_ports u32, flags u32.</summary>
    public const int HeaderSize = 24;

    /// <summary>sizeof(struct mtty_data): room for two ports.</summary>
    public const int Capacity = HeaderSize + (2 * Uart16550.StateSize);

    /// <summary>mtty_data_size: the header and the device's ports.</summary>
    public static int Size(int ports) => HeaderSize + (ports * Uart16550.StateSize);

    /// <summary>The header mtty_save_device_data writes: version 1.0, flags 0.</summary>
    public static void WriteHeader(Span<byte> data, int ports)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(data, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(data[8..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(data[12..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(data[16..], (uint)ports);
        BinaryPrimitives.WriteUInt32LittleEndian(data[20..], 0);
    }

    /// <summary>mtty_resume_write's check once the header is in: magic, flags 0, version 1.0, the same port count.</summary>
    public static bool HeaderMatches(ReadOnlySpan<byte> data, int ports) =>
        BinaryPrimitives.ReadUInt64LittleEndian(data) == Magic
        && BinaryPrimitives.ReadUInt32LittleEndian(data[20..]) == 0
        && BinaryPrimitives.ReadUInt32LittleEndian(data[8..]) == 1
        && BinaryPrimitives.ReadUInt32LittleEndian(data[12..]) == 0
        && BinaryPrimitives.ReadUInt32LittleEndian(data[16..]) == (uint)ports;
}

/// <summary>One mtty migration file (<c>struct mtty_migration_file</c>): the saving file of STOP_COPY/PRE_COPY
/// (<c>mtty_save_read</c>, <c>mtty_precopy_ioctl</c>) or the resuming file (<c>mtty_resume_write</c>).</summary>
/// <remarks>Thread safety: thread-safe (the file's own lock, taken after the device lock where both are held).</remarks>
internal sealed class MttyMigrationFile : VfioMigrationStream
{
    private readonly Lock _lock = new();
    private readonly byte[] _data = new byte[MttyMigrationData.Capacity];
    private readonly bool _saving;
    private readonly int _ports;
    private readonly Func<bool>? _inPreCopy;
    private int _filled;
    private long _position;
    private bool _disabled;

    private MttyMigrationFile(bool saving, int ports, Func<bool>? inPreCopy)
    {
        _saving = saving;
        _ports = ports;
        _inPreCopy = inPreCopy;
    }

    protected override bool IsSaving => _saving;

    /// <summary>A saving file holding the header only (mtty_save_device_data).</summary>
    public static MttyMigrationFile ForSaving(int ports, Func<bool> inPreCopy)
    {
        var file = new MttyMigrationFile(saving: true, ports, inPreCopy);
        MttyMigrationData.WriteHeader(file._data, ports);
        file._filled = MttyMigrationData.HeaderSize;
        return file;
    }

    /// <summary>An empty resuming file (mtty_resume_device_data).</summary>
    public static MttyMigrationFile ForResuming(int ports) => new(saving: false, ports, null);

    /// <summary>mtty_save_state: appends each port's image after what is filled.</summary>
    public void Append(ReadOnlySpan<Uart16550> uarts)
    {
        lock (_lock)
        {
            for (int i = 0; i < _ports; i++)
            {
                uarts[i].Save(_data.AsSpan(MttyMigrationData.HeaderSize + (i * Uart16550.StateSize)));
                _filled += Uart16550.StateSize;
            }
        }
    }

    /// <summary>mtty_load_state: <see cref="Errno.EINVAL"/> unless the whole data arrived (the header is not checked again).</summary>
    public Errno LoadInto(Span<Uart16550> uarts)
    {
        lock (_lock)
        {
            if (_filled < MttyMigrationData.Size(_ports))
            {
                return Errno.EINVAL;
            }

            for (int i = 0; i < _ports; i++)
            {
                uarts[i].Load(_data.AsSpan(MttyMigrationData.HeaderSize + (i * Uart16550.StateSize), Uart16550.StateSize));
            }

            return Errno.None;
        }
    }

    /// <summary>mtty_disable_file: later reads and writes fail with ENODEV.</summary>
    public void Disable()
    {
        lock (_lock)
        {
            _disabled = true;
            _filled = 0;
            _position = 0;
        }
    }

    public override Result<int> TryRead(Span<byte> buffer)
    {
        if (!_saving)
        {
            return Errno.EBADF; // The resuming file is opened write-only.
        }

        lock (_lock)
        {
            if (_disabled)
            {
                return Errno.ENODEV;
            }

            if (_position > _filled)
            {
                return Errno.EINVAL;
            }

            int length = (int)Math.Min(_filled - _position, buffer.Length);
            _data.AsSpan((int)_position, length).CopyTo(buffer);
            _position += length;
            return length;
        }
    }

    public override Result<int> TryWrite(ReadOnlySpan<byte> data)
    {
        if (_saving)
        {
            return Errno.EBADF; // The saving file is opened read-only.
        }

        lock (_lock)
        {
            long requested = _position + data.Length;
            if (requested > MttyMigrationData.Size(_ports))
            {
                return Errno.ENOMEM;
            }

            if (_disabled)
            {
                return Errno.ENODEV;
            }

            data.CopyTo(_data.AsSpan((int)_position));
            _position += data.Length;
            Result<int> result = data.Length;
            if (_filled < MttyMigrationData.HeaderSize && _filled + data.Length >= MttyMigrationData.HeaderSize
                && !MttyMigrationData.HeaderMatches(_data, _ports))
            {
                result = Errno.EFAULT; // The bytes still count: position and fill level advance, as in the sample.
            }

            _filled += data.Length;
            return result;
        }
    }

    /// <summary>mtty_precopy_ioctl: only in PRE_COPY/PRE_COPY_P2P; initial_bytes is what is filled and not read, dirty 0.</summary>
    public override Result<VfioPrecopyInfo> GetPrecopyInfo()
    {
        if (_inPreCopy is null || !_inPreCopy())
        {
            return _inPreCopy is null ? Errno.ENOTTY : Errno.EINVAL;
        }

        lock (_lock)
        {
            if (_disabled)
            {
                return Errno.ENODEV;
            }

            if (_position > _filled)
            {
                return Errno.EINVAL;
            }

            return new VfioPrecopyInfo((ulong)(_filled - _position), 0);
        }
    }

    protected override void Dispose(bool disposing)
    {
        Disable(); // mtty_release_migf
        base.Dispose(disposing);
    }
}
