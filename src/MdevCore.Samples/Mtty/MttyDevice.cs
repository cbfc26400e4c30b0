using System.Buffers.Binary;
using MdevCore.Pci;
using MdevCore.Samples.Pci;
using MdevCore.Vfio;

namespace MdevCore.Samples.Mtty;

/// <summary>
/// The state of one mtty mdev (the kernel sample's <c>mdev_state</c>): config space, one or two UARTs and the
/// interrupt wiring, all behind one lock.
/// </summary>
/// <remarks>Thread safety: thread-safe; every access takes the device lock (the sample's <c>ops_lock</c>).</remarks>
internal sealed class MttyDevice : IVfioDeviceOps, IVfioMigration, IChunkedRegions
{
    /// <summary>Region offsets are <c>index &lt;&lt; 40</c>, as in vfio-pci.</summary>
    public const int OffsetShift = 40;

    private const long OffsetMask = (1L << OffsetShift) - 1;

    private readonly Lock _lock = new();
    private readonly PciConfigSpace _config;
    private readonly Uart16550[] _uarts;
    private readonly IMttyInterrupts _interrupts;
    private readonly MttyMigration _migration;
    private readonly EventTriggerTable? _eventFds;

    /// <summary>num_irqs as cached by the last GET_INFO; 0 before it (the sample validates IRQ calls against it).</summary>
    private uint _cachedIrqCount;

    public MttyDevice(int ports, EventTriggerTable? eventFds, KernelProfile profile = KernelProfile.Modern)
    {
        Ports = ports;
        bool seed = profile == KernelProfile.Seed;
        _interrupts = seed ? new MttySeedInterrupts() : new MttyInterrupts();
        _eventFds = eventFds;
        _config = MttyConfigSpace.Create(ports);
        // The sample's mdev_state always holds two serial_port structs; a single-port card still has the second.
        _uarts = [new Uart16550(rdiOnExactLevel: seed), new Uart16550(rdiOnExactLevel: seed)];
        _migration = new MttyMigration(_uarts, ports, InPreCopy);
    }

    public int Ports { get; }

    /// <summary>The IRQ index in use (0 INTx, 1 MSI, -1 none), for tests.</summary>
    public int ActiveIrqIndex
    {
        get
        {
            lock (_lock)
            {
                return _interrupts.ActiveIndex;
            }
        }
    }

    public static long RegionOffset(uint index) => (long)index << OffsetShift;

    public Result<int> Read(Span<byte> buffer, long position) => Access(buffer, position, write: false);

    public Result<int> Write(ReadOnlySpan<byte> data, long position)
    {
        // The write path only reads from the span; the shared loop takes a Span.
        Span<byte> bytes = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(data), data.Length);
        return Access(bytes, position, write: true);
    }

    /// <summary>close_device: the migration files are closed and (6.7+) the eventfds go.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _migration.DisableFiles();
            _interrupts.Close();
        }
    }

    public VfioDeviceInfo GetInfo()
    {
        lock (_lock)
        {
            _cachedIrqCount = VfioFlags.PciNumIrqs;
        }

        return new VfioDeviceInfo(VfioFlags.DevicePci, VfioFlags.PciNumRegions, VfioFlags.PciNumIrqs);
    }

    public Result<VfioRegionInfo> GetRegionInfo(uint index)
    {
        if (index >= VfioFlags.PciNumRegions)
        {
            return Errno.EINVAL;
        }

        ulong size = RegionSize(index);
        return new VfioRegionInfo(index, VfioFlags.RegionRead | VfioFlags.RegionWrite, size, (ulong)RegionOffset(index));
    }

    public Result<VfioIrqInfo> GetIrqInfo(uint index)
    {
        lock (_lock)
        {
            return index >= _cachedIrqCount ? Errno.EINVAL : _interrupts.Info(index);
        }
    }

    public Errno SetIrqs(VfioIrqSet request, ReadOnlySpan<byte> payload)
    {
        lock (_lock)
        {
            return _interrupts.Set(request, payload, _eventFds);
        }
    }

    /// <summary>The raw SET_IRQS: validated against the num_irqs cached at GET_INFO (5 vectors, not the per-index count), as the sample does.</summary>
    public Result<long> SetIrqsRaw(Span<byte> argument)
    {
        if (argument.Length < VfioIrqSet.HeaderSize)
        {
            return Errno.EFAULT;
        }

        var request = new VfioIrqSet(
            BinaryPrimitives.ReadUInt32LittleEndian(argument),
            BinaryPrimitives.ReadUInt32LittleEndian(argument[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(argument[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(argument[12..]),
            BinaryPrimitives.ReadUInt32LittleEndian(argument[16..]));
        uint vectors;
        lock (_lock)
        {
            vectors = _cachedIrqCount;
        }

        Errno error = request.Validate(vectors, VfioFlags.PciNumIrqs, out int payloadSize);
        if (error != Errno.None)
        {
            return error;
        }

        if (argument.Length < VfioIrqSet.HeaderSize + payloadSize)
        {
            return Errno.EFAULT;
        }

        error = SetIrqs(request, argument.Slice(VfioIrqSet.HeaderSize, payloadSize));
        return error == Errno.None ? Result<long>.Ok(0) : Result<long>.Fail(error);
    }

    /// <summary>mtty_reset: the UARTs keep their registers; the migration state returns to RUNNING and its files close
    /// (v4.10's reset, before migration existed, did nothing at all).</summary>
    public Errno Reset()
    {
        lock (_lock)
        {
            _migration.Reset();
        }

        return Errno.None;
    }

    public VfioMigrationCapabilities MigrationFlags => MttyMigration.Capabilities;

    public Result<VfioMigrationStream?> SetState(VfioMigrationState target)
    {
        lock (_lock)
        {
            return _migration.SetState(target);
        }
    }

    public Result<VfioMigrationState> GetState()
    {
        lock (_lock)
        {
            return _migration.State;
        }
    }

    public Result<ulong> GetDataSize() => _migration.DataSize;

    private bool InPreCopy()
    {
        lock (_lock)
        {
            return _migration.State is VfioMigrationState.PreCopy or VfioMigrationState.PreCopyP2P;
        }
    }

    private ulong RegionSize(uint index) => index switch
    {
        VfioFlags.PciConfigRegionIndex => SampleConfigRegion.ReportedSize,
        0 => MttyConfigSpace.IoBarSize,
        1 when Ports == 2 => MttyConfigSpace.IoBarSize,
        _ => 0,
    };

    private Result<int> Access(Span<byte> buffer, long position, bool write) => RegionAccess.Run(this, _lock, buffer, position, write);

    public bool AccessChunk(Span<byte> chunk, long position, bool write)
    {
        long index = position >> OffsetShift;
        int offset = (int)Math.Min(position & OffsetMask, int.MaxValue);
        if (index == VfioFlags.PciConfigRegionIndex)
        {
            if (offset + chunk.Length > _config.Size)
            {
                return false;
            }

            if (write)
            {
                _config.Write(offset, chunk);
            }
            else
            {
                _config.Read(offset, chunk);
            }

            return true;
        }

        if (index > 1)
        {
            // BAR2-5 reach handle_bar_* too, which then indexes s[2..5] past the two ports: an out-of-bounds
            // access of the kernel's own state that cannot be modelled, so the model refuses it. ROM, VGA: -EFAULT.
            return false;
        }

        // handle_bar_read/handle_bar_write: the BAR's size is never checked (BAR1 of a single-port card, size 0 in
        // region info, is served by the second port state) and the offset is cut to 16 bits; registers 0-7 act,
        // other offsets do nothing. One byte is the access: the rest of a wider chunk reads as zero (the kernel
        // leaves those bytes uninitialised).
        Uart16550 uart = _uarts[index];
        int register = (ushort)(position & OffsetMask);
        int interrupts;
        if (write)
        {
            interrupts = uart.Write(register, chunk[0]);
        }
        else
        {
            chunk.Clear();
            chunk[0] = uart.Read(register, out interrupts);
        }

        for (int i = 0; i < interrupts; i++)
        {
            _interrupts.Raise();
        }

        return true;
    }
}
