using System.Buffers.Binary;
using System.Numerics;
using MdevCore.DriverModel;
using static MdevCore.Pci.PciRegisters;

namespace MdevCore.Pci;

/// <summary>
/// Builds the config space of a PCI function: identity, BARs, interrupt pin and a capability list (power
/// management, MSI, PCI Express, vendor specific or any other), the way libvfio-user's <c>vfu_pci_*</c> calls do.
/// </summary>
/// <remarks>
/// Capabilities are placed in the order they are added, from 0x40 on, each on the next dword boundary, and
/// chained through <see cref="PciRegisters.CapabilityList"/>; the status register's capability-list bit is set
/// when there is one. Adding a PCI Express capability makes the space 4096 bytes (extended config space with
/// no extended capabilities). The default write masks are those of real hardware: the BARs (so that sizing
/// works), the command register's enable bits for the spaces the BARs use plus bus master, parity, SERR# and
/// INTx disable, the interrupt line, and the control fields of the power management, MSI and PCI Express
/// capabilities. <see cref="SetWriteMask"/> changes them; an emulated device that ignores writes to a register
/// sets its mask to 0.
/// Thread safety: not thread-safe; <see cref="Build"/> returns an independent space each time.
/// </remarks>
public sealed class PciConfigSpaceBuilder
{
    private const ushort CommandWritableAlways = CommandMaster | CommandParity | CommandSerr | CommandInterruptDisable;

    private readonly byte[] _bytes = new byte[ExtendedConfigSpaceSize];
    private readonly byte[] _writable = new byte[ExtendedConfigSpaceSize];
    private readonly PciBar?[] _bars = new PciBar?[BarCount];
    private readonly List<int> _capabilities = [];
    private bool _commandMaskSet;
    private int _nextCapability = StandardHeaderSize;
    private int _lastCapability;
    private bool _extended;

    /// <summary>Starts a type 0 header with the given identity.</summary>
    /// <param name="ids">Vendor, device, class code, subsystem ids and revision.</param>
    public PciConfigSpaceBuilder(PciIds ids)
    {
        Store16(VendorId, ids.Vendor);
        Store16(DeviceId, ids.Device);
        _bytes[RevisionId] = ids.Revision;
        _bytes[ClassProgIf] = (byte)ids.ClassCode;
        Store16(ClassDevice, (ushort)(ids.ClassCode >> 8));
        Store16(SubsystemVendorId, ids.SubsystemVendor);
        Store16(SubsystemId, ids.SubsystemDevice);
        _bytes[HeaderType] = HeaderTypeNormal;
        _writable[InterruptLine] = 0xff;
    }

    /// <summary>The capability offsets added so far, in order.</summary>
    public IReadOnlyList<int> CapabilityOffsets => _capabilities;

    /// <summary>Sets the command register's initial value.</summary>
    /// <param name="value">The value (<see cref="PciRegisters.CommandIo"/>, ...).</param>
    /// <returns>This builder.</returns>
    public PciConfigSpaceBuilder SetCommand(ushort value)
    {
        Store16(Command, value);
        return this;
    }

    /// <summary>Sets status bits (the capability-list bit is managed by the builder and kept).</summary>
    /// <param name="value">The bits, for example <see cref="PciRegisters.StatusDevselMedium"/>.</param>
    /// <returns>This builder.</returns>
    public PciConfigSpaceBuilder SetStatus(ushort value)
    {
        Store16(Status, (ushort)(value | (Load16(Status) & StatusCapabilityList)));
        return this;
    }

    /// <summary>Sets the interrupt pin and the line the system routed it to.</summary>
    /// <param name="pin">0 for none, 1-4 for INTA#-INTD#.</param>
    /// <param name="line">The interrupt line.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The pin is above 4.</exception>
    public PciConfigSpaceBuilder SetInterrupt(byte pin, byte line = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pin, (byte)4);
        _bytes[InterruptPin] = pin;
        _bytes[InterruptLine] = line;
        return this;
    }

    /// <summary>Defines BAR <paramref name="index"/>; a 64-bit memory BAR also takes slot <paramref name="index"/> + 1.</summary>
    /// <param name="index">0-5 (0-4 for a 64-bit BAR).</param>
    /// <param name="bar">The BAR.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is out of range.</exception>
    /// <exception cref="ArgumentException">The BAR is not valid (<see cref="PciBar.IsValid"/>) or its slot is taken.</exception>
    public PciConfigSpaceBuilder SetBar(int index, PciBar bar)
    {
        int slots = bar.Kind == PciBarKind.Memory64 ? 2 : 1;
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, BarCount - slots);
        if (!bar.IsValid)
        {
            throw new ArgumentException($"{bar} is not a valid BAR: the size must be a power of two in the kind's range and the address aligned to it.", nameof(bar));
        }

        if (_bars[index] is not null || (slots == 2 && _bars[index + 1] is not null) || (index > 0 && _bars[index - 1]?.Kind == PciBarKind.Memory64))
        {
            throw new ArgumentException($"BAR {index} is already defined.", nameof(index));
        }

        _bars[index] = bar;
        int offset = Bar0 + (4 * index);
        ulong sizeMask = ~(ulong)(bar.Size - 1);
        Store32(offset, (uint)bar.Address | bar.TypeBits);
        StoreMask(offset, 4, (uint)sizeMask & ~(bar.Kind == PciBarKind.Io ? BarIoTypeBits : BarMemoryTypeBits));
        if (slots == 2)
        {
            Store32(offset + 4, (uint)(bar.Address >> 32));
            StoreMask(offset + 4, 4, (uint)(sizeMask >> 32));
        }

        return this;
    }

    /// <summary>Sets bytes anywhere in the space (vendor data, a register the builder has no method for); above 0x100 only
    /// for a PCI Express function.</summary>
    /// <param name="offset">The first byte.</param>
    /// <param name="data">The bytes.</param>
    /// <returns>This builder.</returns>
    public PciConfigSpaceBuilder SetBytes(int offset, ReadOnlySpan<byte> data)
    {
        CheckRange(offset, data.Length);
        data.CopyTo(_bytes.AsSpan(offset));
        return this;
    }

    /// <summary>Sets a 16-bit register anywhere in the space.</summary>
    /// <param name="offset">Its offset.</param>
    /// <param name="value">The value.</param>
    /// <returns>This builder.</returns>
    public PciConfigSpaceBuilder Set16(int offset, ushort value)
    {
        CheckRange(offset, 2);
        Store16(offset, value);
        return this;
    }

    /// <summary>Sets a 32-bit register anywhere in the space.</summary>
    /// <param name="offset">Its offset.</param>
    /// <param name="value">The value.</param>
    /// <returns>This builder.</returns>
    public PciConfigSpaceBuilder Set32(int offset, uint value)
    {
        CheckRange(offset, 4);
        Store32(offset, value);
        return this;
    }

    /// <summary>Sets which bits of a register a write may change; 0 makes it read-only.</summary>
    /// <param name="offset">The register's offset.</param>
    /// <param name="width">Its width in bytes: 1, 2 or 4.</param>
    /// <param name="mask">The writable bits.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The width is not 1, 2 or 4, or the register is outside the space.</exception>
    public PciConfigSpaceBuilder SetWriteMask(int offset, int width, uint mask)
    {
        if (width is not (1 or 2 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "A register is 1, 2 or 4 bytes wide.");
        }

        CheckRange(offset, width);
        StoreMask(offset, width, mask);
        if (offset <= Command + 1 && offset + width > Command)
        {
            _commandMaskSet = true;
        }

        return this;
    }

    /// <summary>Adds a capability with the given body (the bytes after its id and next pointer).</summary>
    /// <param name="id">The capability id (<see cref="PciCapabilityIds"/>).</param>
    /// <param name="body">The bytes from offset +2 on; read-only unless <see cref="SetWriteMask"/> says otherwise.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">The capability does not fit below 0x100.</exception>
    public PciConfigSpaceBuilder AddCapability(byte id, ReadOnlySpan<byte> body)
    {
        int at = Place(id, 2 + body.Length);
        body.CopyTo(_bytes.AsSpan(at + 2));
        return this;
    }

    /// <summary>Adds a vendor-specific capability: its length byte at +2, then <paramref name="payload"/> from +3.</summary>
    /// <param name="payload">The vendor's bytes.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">The capability does not fit.</exception>
    public PciConfigSpaceBuilder AddVendorCapability(ReadOnlySpan<byte> payload)
    {
        int at = Place(PciCapabilityIds.Vendor, 3 + payload.Length);
        _bytes[at + 2] = (byte)(3 + payload.Length);
        payload.CopyTo(_bytes.AsSpan(at + 3));
        return this;
    }

    /// <summary>Adds a power management capability (version 3, D0 and D3hot only); the power state field is writable.</summary>
    /// <returns>This builder.</returns>
    public PciConfigSpaceBuilder AddPowerManagement()
    {
        const int size = 8;
        int at = Place(PciCapabilityIds.PowerManagement, size);
        Store16(at + 2, 0x0003);            // PMC: version 3, no D1/D2, no PME
        Store16(at + 4, 0x0008);            // PMCSR: D0, No_Soft_Reset
        StoreMask(at + 4, 2, 0x0003);       // the power state
        return this;
    }

    /// <summary>Adds an MSI capability; the enable bit, the enabled vector count, the address and the data are writable.</summary>
    /// <param name="vectors">The vectors the function asks for: 1, 2, 4, 8, 16 or 32.</param>
    /// <param name="is64Bit">Whether it takes a 64-bit message address.</param>
    /// <param name="perVectorMasking">Whether it has the mask and pending registers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The vector count is not a power of two up to 32.</exception>
    public PciConfigSpaceBuilder AddMsi(int vectors = 1, bool is64Bit = true, bool perVectorMasking = false)
    {
        if (vectors is < 1 or > 32 || !BitOperations.IsPow2(vectors))
        {
            throw new ArgumentOutOfRangeException(nameof(vectors), vectors, "MSI offers 1, 2, 4, 8, 16 or 32 vectors.");
        }

        int size = (is64Bit ? 0x0e : 0x0a) + (perVectorMasking ? 0x0a : 0);
        int at = Place(PciCapabilityIds.Msi, size);
        ushort control = (ushort)((BitOperations.Log2((uint)vectors) << 1) | (is64Bit ? 0x80 : 0) | (perVectorMasking ? 0x100 : 0));
        Store16(at + 2, control);
        StoreMask(at + 2, 2, 0x0071);               // enable, multiple message enable
        StoreMask(at + 4, 4, 0xffff_fffc);          // message address
        int data = at + (is64Bit ? 0x0c : 0x08);
        if (is64Bit)
        {
            StoreMask(at + 8, 4, 0xffff_ffff);      // upper address
        }

        StoreMask(data, 2, 0xffff);                 // message data
        if (perVectorMasking)
        {
            StoreMask(data + 4, 4, vectors == 32 ? uint.MaxValue : (1u << vectors) - 1);
        }

        return this;
    }

    /// <summary>Adds a version 2 PCI Express capability and makes the space extended (4096 bytes, no extended capabilities).</summary>
    /// <param name="maximum">What the link can do (link capabilities); ignored for a type without a link.</param>
    /// <param name="current">What it negotiated (link status); <see langword="null"/> for the maximum.</param>
    /// <param name="type">The device/port type.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">A link is not valid, or the current one exceeds the maximum.</exception>
    public PciConfigSpaceBuilder AddPciExpress(PciExpressLink maximum, PciExpressLink? current = null, PciExpressDeviceType type = PciExpressDeviceType.Endpoint)
    {
        PciExpressLink negotiated = current ?? maximum;
        if (!maximum.IsValid || !negotiated.IsValid || negotiated.Speed > maximum.Speed || negotiated.Width > maximum.Width)
        {
            throw new ArgumentException($"Link {negotiated} cannot train on a link capable of {maximum}.", nameof(current));
        }

        int at = Place(PciCapabilityIds.PciExpress, PciExpressRegisters.CapabilitySizeV2);
        Store16(at + PciExpressRegisters.Flags, (ushort)(2 | ((int)type << 4)));
        Store32(at + PciExpressRegisters.DeviceCapabilities, 0x0000_8000);      // role-based error reporting, 128-byte payload
        Store16(at + PciExpressRegisters.DeviceControl, 0x2810);                // relaxed ordering, no snoop, 512-byte read requests
        StoreMask(at + PciExpressRegisters.DeviceControl, 2, 0x7fff);
        if (type is not (PciExpressDeviceType.RootComplexIntegratedEndpoint or PciExpressDeviceType.RootComplexEventCollector))
        {
            Store32(at + PciExpressRegisters.LinkCapabilities, (uint)maximum.Speed | ((uint)maximum.Width << PciExpressRegisters.LinkWidthShift));
            Store16(at + PciExpressRegisters.LinkStatus, (ushort)((int)negotiated.Speed | (negotiated.Width << PciExpressRegisters.LinkWidthShift)));
            StoreMask(at + PciExpressRegisters.LinkControl, 2, 0x00c3);        // ASPM control, common clock, extended sync

            // Supported link speeds vector: one bit per speed from 2.5 GT/s up to the maximum (bits 1-7).
            Store32(at + PciExpressRegisters.LinkCapabilities2, (uint)(((1 << (int)maximum.Speed) - 1) << 1));
            Store16(at + PciExpressRegisters.LinkControl2, (ushort)maximum.Speed);
        }

        _extended = true;
        return this;
    }

    /// <summary>Makes the config space (each call gives a new, independent one).</summary>
    /// <returns>The config space: 256 bytes, or 4096 with a PCI Express capability.</returns>
    /// <exception cref="InvalidOperationException">Bytes were set above 0x100 of a space without PCI Express.</exception>
    public PciConfigSpace Build()
    {
        int size = _extended ? ExtendedConfigSpaceSize : ConfigSpaceSize;
        if (!_extended && (_bytes.AsSpan(ConfigSpaceSize).IndexOfAnyExcept((byte)0) >= 0 || _writable.AsSpan(ConfigSpaceSize).IndexOfAnyExcept((byte)0) >= 0))
        {
            throw new InvalidOperationException("Only PCI Express functions have extended config space (above 0x100): add a PCI Express capability.");
        }

        byte[] bytes = _bytes.AsSpan(0, size).ToArray();
        byte[] writable = _writable.AsSpan(0, size).ToArray();
        if (!_commandMaskSet)
        {
            ushort mask = CommandWritableAlways;
            foreach (PciBar? bar in _bars)
            {
                mask |= bar?.Kind == PciBarKind.Io ? CommandIo : bar is null ? (ushort)0 : CommandMemory;
            }

            BinaryPrimitives.WriteUInt16LittleEndian(writable.AsSpan(Command), mask);
        }

        return new PciConfigSpace(bytes, writable);
    }

    private int Place(byte id, int size)
    {
        int at = _nextCapability;
        if (at + size > ConfigSpaceSize)
        {
            throw new InvalidOperationException($"A {size}-byte capability does not fit at 0x{at:x2}: standard capabilities end at 0x100.");
        }

        _bytes[at] = id;
        _bytes[at + 1] = 0;
        if (_lastCapability == 0)
        {
            _bytes[CapabilityList] = (byte)at;
            Store16(Status, (ushort)(Load16(Status) | StatusCapabilityList));
        }
        else
        {
            _bytes[_lastCapability + 1] = (byte)at;
        }

        _lastCapability = at;
        _capabilities.Add(at);
        _nextCapability = (at + size + 3) & ~3;
        return at;
    }

    private static void CheckRange(int offset, int length)
    {
        if (offset < 0 || length < 0 || offset > ExtendedConfigSpaceSize - length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"The range [{offset}, {offset}+{length}) is outside config space.");
        }
    }

    private ushort Load16(int offset) => BinaryPrimitives.ReadUInt16LittleEndian(_bytes.AsSpan(offset));

    private void Store16(int offset, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(_bytes.AsSpan(offset), value);

    private void Store32(int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_bytes.AsSpan(offset), value);

    private void StoreMask(int offset, int width, uint mask)
    {
        for (int i = 0; i < width; i++)
        {
            _writable[offset + i] = (byte)(mask >> (8 * i));
        }
    }
}
