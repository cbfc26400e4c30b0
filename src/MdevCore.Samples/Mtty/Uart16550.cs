using static MdevCore.Samples.Mtty.UartRegisters;

namespace MdevCore.Samples.Mtty;

/// <summary>
/// One emulated 16550 UART in loopback, with the state and arithmetic of the kernel sample's
/// <c>struct serial_port</c>: every byte the guest transmits lands in a 16-slot ring that the receive
/// register drains.
/// </summary>
/// <remarks>
/// <para>Kernel: <c>handle_bar_write</c> / <c>handle_bar_read</c> in <c>samples/vfio-mdev/mtty.c</c>. The quirks a
/// guest can see are kept on purpose, because the sample has them:</para>
/// <list type="bullet">
/// <item>The ring's head and tail advance modulo 16 and a transmit is accepted while <c>count</c> is below the
/// FIFO size, but emptiness (receive, LSR.DR, LSR.THRE|TEMT, IIR.THRI, the THRI interrupts) is judged by
/// <c>head == tail</c>. After exactly 16 bytes the ring is full and looks empty: LSR reads THRE|TEMT without DR,
/// RX returns no byte and the count stays at 16, so every further byte overruns until FCR clears the ring.</item>
/// <item>Overrun is cleared only by the next accepted byte (not by reading LSR, not by FCR).</item>
/// <item>IIR ORs the identification codes of every pending cause instead of reporting the highest one; the
/// modem-status code is 0, so a modem-status cause alone reads as "no interrupt pending" (0xc1).</item>
/// <item>The trigger level is 0 until the first FCR write and 1 after any (the sample has no character timer):
/// before FCR, IIR reports received data with an empty ring and transmitting never raises RDI.</item>
/// <item>Divisor bytes are ORed into the latch; every LCR write with DLAB set clears it first.</item>
/// </list>
/// <para>Reads of a register the sample does not fill (RX with an empty-looking ring) return 0 where the kernel
/// returns an uninitialised stack byte.</para>
/// <para>Thread safety: not thread-safe; the owning device serializes access under its lock.</para>
/// </remarks>
internal sealed class Uart16550
{
    public const int FifoSize = 16;

    private readonly byte[] _reg = new byte[Count];
    private readonly byte[] _fifo = new byte[FifoSize];
    private readonly bool _rdiOnExactLevel;
    private byte _head;
    private byte _tail;
    private byte _count;
    private bool _dlab;
    private bool _overrun;
    private ushort _divisor;
    private byte _fcr;
    private byte _maxFifo = FifoSize;
    private byte _triggerLevel;

    /// <summary>Creates a UART in its power-on state (all zero, FIFO size 16, as <c>mtty_init_dev</c> leaves it).</summary>
    /// <param name="rdiOnExactLevel">IIR reports received data only when the count equals the trigger level
    /// (v4.10's sample; later kernels report it at or above the level).</param>
    public Uart16550(bool rdiOnExactLevel = false) => _rdiOnExactLevel = rdiOnExactLevel;

    /// <summary>The size of one port's image in the migration stream (<c>sizeof(struct serial_port)</c> on x86-64).</summary>
    public const int StateSize = 36;

    private bool LooksEmpty => _head == _tail;

    /// <summary>Writes the port's <c>struct serial_port</c> image, as <c>mtty_save_state</c> copies it: uart_reg[8],
    /// fifo[16], head, tail, count, dlab, overrun, a padding byte, divisor (u16 LE), fcr, max_fifo_size,
    /// intr_trigger_level and a padding byte.</summary>
    public void Save(Span<byte> image)
    {
        image[..StateSize].Clear();
        _reg.CopyTo(image);
        _fifo.CopyTo(image[8..]);
        image[24] = _head;
        image[25] = _tail;
        image[26] = _count;
        image[27] = _dlab ? (byte)1 : (byte)0;
        image[28] = _overrun ? (byte)1 : (byte)0;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(image[30..], _divisor);
        image[32] = _fcr;
        image[33] = _maxFifo;
        image[34] = _triggerLevel;
    }

    /// <summary>Takes a port image (<c>mtty_load_state</c>). Head and tail are cut to the ring's 16 slots, where the
    /// kernel would index its array with whatever the stream holds.</summary>
    public void Load(ReadOnlySpan<byte> image)
    {
        image[..Count].CopyTo(_reg);
        image.Slice(8, FifoSize).CopyTo(_fifo);
        _head = (byte)(image[24] & (FifoSize - 1));
        _tail = (byte)(image[25] & (FifoSize - 1));
        _count = image[26];
        _dlab = image[27] != 0;
        _overrun = image[28] != 0;
        _divisor = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(image[30..]);
        _fcr = image[32];
        _maxFifo = image[33];
        _triggerLevel = image[34];
    }

    /// <summary>The guest writes <paramref name="value"/> to register <paramref name="register"/> (0-7; others do nothing).</summary>
    /// <returns>The number of interrupts to raise.</returns>
    public int Write(int register, byte value)
    {
        switch (register)
        {
            case Data when _dlab:
                _divisor |= value;
                return 0;
            case Data:
                return Transmit(value);
            case Ier when _dlab:
                _divisor |= (ushort)(value << 8);
                return 0;
            case Ier:
                _reg[Ier] = value;
                return (value & IerThri) != 0 && LooksEmpty ? 1 : 0;
            case IirFcr:
                _fcr = value;
                if ((value & (FcrClearRcvr | FcrClearXmit)) != 0)
                {
                    _head = _tail = _count = 0;
                }

                _triggerLevel = 1; // Whatever the FCR trigger bits say: the sample has no receive timeout.
                _maxFifo = (value & FcrEnableFifo) != 0 ? (byte)FifoSize : (byte)1;
                return 0;
            case Lcr:
                _dlab = (value & LcrDlab) != 0;
                if (_dlab)
                {
                    _divisor = 0;
                }

                _reg[Lcr] = value;
                return 0;
            case Mcr:
                _reg[Mcr] = value;
                int raised = 0;
                if ((_reg[Ier] & IerMsi) != 0 && (value & McrOut2) != 0)
                {
                    raised++;
                }

                if ((_reg[Ier] & IerMsi) != 0 && (value & (McrRts | McrDtr)) != 0)
                {
                    raised++;
                }

                return raised;
            case Scr:
                _reg[Scr] = value;
                return 0;
            default:
                return 0; // LSR, MSR and offsets past the eight registers.
        }
    }

    /// <summary>The guest reads register <paramref name="register"/> (0-7; others read 0).</summary>
    /// <param name="register">The register offset in the BAR.</param>
    /// <param name="interrupts">The number of interrupts the read raises (RX finding the ring empty with THRI enabled).</param>
    /// <returns>The register value.</returns>
    public byte Read(int register, out int interrupts)
    {
        interrupts = 0;
        switch (register)
        {
            case Data when _dlab:
                return (byte)_divisor;
            case Data:
                byte received = 0;
                if (!LooksEmpty)
                {
                    received = _fifo[_tail];
                    _count--;
                    _tail = (byte)((_tail + 1) & (FifoSize - 1));
                }

                if (LooksEmpty && (_reg[Ier] & IerThri) != 0)
                {
                    interrupts = 1;
                }

                return received;
            case Ier when _dlab:
                return (byte)(_divisor >> 8);
            case Ier:
                return (byte)(_reg[Ier] & 0x0f);
            case IirFcr:
                return InterruptIdentification();
            case Lcr:
            case Mcr:
            case Scr:
                return _reg[register];
            case Lsr:
                return LineStatus();
            case Msr:
                return ModemStatus();
            default:
                return 0;
        }
    }

    private int Transmit(byte value)
    {
        if (_count < _maxFifo)
        {
            _fifo[_head] = value;
            _count++;
            _head = (byte)((_head + 1) & (FifoSize - 1));
            _overrun = false;
            return (_reg[Ier] & IerRdi) != 0 && _count == _triggerLevel ? 1 : 0;
        }

        _overrun = true;
        return (_reg[Ier] & IerRlsi) != 0 ? 1 : 0;
    }

    /// <summary>IIR: the codes of every pending cause ORed together, NO_INT when none, bits 6-7 set.</summary>
    private byte InterruptIdentification()
    {
        byte ier = _reg[Ier];
        byte iir = 0;
        if ((ier & IerRlsi) != 0 && _overrun)
        {
            iir |= IirRlsi;
        }

        bool rdi = _rdiOnExactLevel ? _count == _triggerLevel : _count >= _triggerLevel;
        if ((ier & IerRdi) != 0 && rdi)
        {
            iir |= IirRdi;
        }

        if ((ier & IerThri) != 0 && LooksEmpty)
        {
            iir |= IirThri;
        }

        if ((ier & IerMsi) != 0 && (_reg[Mcr] & (McrRts | McrDtr)) != 0)
        {
            iir |= IirMsi; // The modem-status code is 0: alone it leaves IIR at 0, which then reads as NO_INT.
        }

        if (iir == 0)
        {
            iir = IirNoInt;
        }

        return (byte)(iir | IirFifoBits);
    }

    private byte LineStatus()
    {
        byte lsr = 0;
        if (!LooksEmpty)
        {
            lsr |= LsrDr;
        }

        if (_overrun)
        {
            lsr |= LsrOe;
        }

        if (LooksEmpty)
        {
            lsr |= LsrThre | LsrTemt;
        }

        return lsr;
    }

    private byte ModemStatus()
    {
        byte msr = MsrDsr | MsrDdsr | MsrDcd;
        if ((_reg[Mcr] & McrAfe) == 0 || _count < _maxFifo)
        {
            msr |= MsrCts | MsrDcts; // Clear to send unless auto flow control sees a full ring.
        }

        return msr;
    }
}
