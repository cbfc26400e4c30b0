using MdevCore.Pci;

namespace MdevCore.DriverModel;

/// <summary>
/// The config space behind a simulated PCI function's <c>config</c> attribute: built on first access from the ids and
/// options (so that devices nobody inspects cost no config bytes), with the enable bits of the command register
/// following the enable count.
/// </summary>
/// <remarks>
/// Layout: the ids, class and revision; header type 0; the BARs with their addresses; INTA# routed to the IRQ when
/// there is one; then the capability list: power management at 0x40, a 64-bit single-vector MSI at 0x48 and, for a
/// PCI Express function, a version 2 endpoint capability at 0x58 whose link registers carry the configured link,
/// followed by an extended config space with no extended capabilities (4096 bytes in all).
/// Thread safety: thread-safe; one lock guards the bytes.
/// </remarks>
internal sealed class PciDeviceConfig
{
    private readonly Lock _lock = new();
    private readonly PciIds _ids;
    private readonly PciDeviceOptions _options;
    private PciConfigSpace? _space;

    public PciDeviceConfig(PciIds ids, PciDeviceOptions options)
    {
        _ids = ids;
        _options = options;
        Size = options.Link is null ? PciRegisters.ConfigSpaceSize : PciRegisters.ExtendedConfigSpaceSize;
    }

    /// <summary>The size of the <c>config</c> file: 256, or 4096 for PCI Express (the kernel's <c>cfg_size</c>).</summary>
    public int Size { get; }

    /// <summary>Makes the config space a function with these ids and options shows.</summary>
    public static PciConfigSpace Build(PciIds ids, PciDeviceOptions options)
    {
        var builder = new PciConfigSpaceBuilder(ids)
            .SetInterrupt(options.Irq == 0 ? (byte)0 : (byte)1, (byte)options.Irq);
        int slot = 0;
        foreach (PciBar bar in options.Bars)
        {
            _ = builder.SetBar(slot, bar);
            slot += bar.Kind == PciBarKind.Memory64 ? 2 : 1;
        }

        _ = builder.AddPowerManagement().AddMsi();
        if (options.Link is { } link)
        {
            _ = builder.AddPciExpress(link, options.CurrentLink);
        }

        return builder.Build();
    }

    /// <summary>Reads config bytes (clamped to the size by sysfs).</summary>
    public Result<int> Read(Span<byte> buffer, int offset, bool enabled)
    {
        lock (_lock)
        {
            PciConfigSpace space = _space ??= Build(_ids, _options);
            int count = Math.Min(buffer.Length, space.Size - offset);
            space.Read(offset, buffer[..count]);
            if (enabled && offset <= PciRegisters.Command && offset + count > PciRegisters.Command)
            {
                // pci_enable_device turned on decoding of the spaces the BARs use; the bound driver on bus mastering.
                buffer[PciRegisters.Command - offset] |= (byte)EnableBits();
            }

            return count;
        }
    }

    /// <summary>Writes config bytes: only the bits the function lets software change take the value.</summary>
    public Result<int> Write(ReadOnlySpan<byte> data, int offset)
    {
        lock (_lock)
        {
            PciConfigSpace space = _space ??= Build(_ids, _options);
            int count = Math.Min(data.Length, space.Size - offset);
            space.Write(offset, data[..count]);
            return count;
        }
    }

    private ushort EnableBits()
    {
        ushort bits = PciRegisters.CommandMaster;
        foreach (PciBar bar in _options.Bars)
        {
            bits |= bar.Kind == PciBarKind.Io ? PciRegisters.CommandIo : PciRegisters.CommandMemory;
        }

        return bits;
    }
}
