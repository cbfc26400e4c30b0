using static MdevCore.Samples.Mtty.UartRegisters;

namespace MdevCore.Samples.Mtty;

/// <summary>
/// One emulated 16550 UART in loopback: every byte the guest transmits lands in a 16-byte FIFO that the
/// guest's receive register drains.
/// </summary>
/// <remarks>
/// Reads and writes return how many interrupts the access raises; the device forwards them to INTx or MSI.
/// Deviations from the kernel sample, on purpose: IIR reports the single highest-priority cause (the sample
/// ORs the cause codes together), the FIFO's emptiness is judged by its count (the sample compares head and
/// tail, which also match when all 16 slots are full), and divisor bytes replace rather than OR into the latch.
/// Thread safety: not thread-safe; the owning device serializes access under its lock.
/// </remarks>
internal sealed class Uart16550
{
    public const int FifoSize = 16;

    private readonly byte[] _fifo = new byte[FifoSize];
    private int _head;
    private int _tail;
    private int _count;
    private byte _ier;
    private byte _lcr;
    private byte _mcr;
    private byte _scr;
    private bool _overrun;
    private ushort _divisor;
    private int _maxFifo = FifoSize;

    /// <summary>The receive trigger level; the sample always uses 1 (it has no character-timeout timer).</summary>
    private const int TriggerLevel = 1;

    private bool Empty => _count == 0;

    /// <summary>The guest writes <paramref name="value"/> to register <paramref name="register"/>.</summary>
    /// <returns>The number of interrupts to raise.</returns>
    public int Write(int register, byte value)
    {
        bool dlab = (_lcr & LcrDlab) != 0;
        switch (register)
        {
            case Data when dlab:
                _divisor = (ushort)((_divisor & 0xff00) | value);
                return 0;
            case Data:
                return Transmit(value);
            case Ier when dlab:
                _divisor = (ushort)((_divisor & 0x00ff) | (value << 8));
                return 0;
            case Ier:
                _ier = value;
                return (value & IerThri) != 0 && Empty ? 1 : 0;
            case IirFcr:
                if ((value & (FcrClearRcvr | FcrClearXmit)) != 0)
                {
                    _head = _tail = _count = 0;
                }

                _maxFifo = (value & FcrEnableFifo) != 0 ? FifoSize : 1;
                return 0;
            case Lcr:
                if ((value & LcrDlab) != 0 && !dlab)
                {
                    _divisor = 0; // Setting DLAB starts a fresh divisor.
                }

                _lcr = value;
                return 0;
            case Mcr:
                _mcr = value;
                int raised = 0;
                if ((_ier & IerMsi) != 0 && (value & McrOut2) != 0)
                {
                    raised++;
                }

                if ((_ier & IerMsi) != 0 && (value & (McrRts | McrDtr)) != 0)
                {
                    raised++;
                }

                return raised;
            case Scr:
                _scr = value;
                return 0;
            default:
                return 0; // LSR and MSR are read-only.
        }
    }

    /// <summary>The guest reads register <paramref name="register"/>.</summary>
    /// <param name="register">0-7.</param>
    /// <param name="interrupts">The number of interrupts the read raises (draining the FIFO with THRI enabled).</param>
    /// <returns>The register value.</returns>
    public byte Read(int register, out int interrupts)
    {
        interrupts = 0;
        bool dlab = (_lcr & LcrDlab) != 0;
        switch (register)
        {
            case Data when dlab:
                return (byte)_divisor;
            case Data:
                byte received = 0;
                if (!Empty)
                {
                    received = _fifo[_tail];
                    _tail = (_tail + 1) % FifoSize;
                    _count--;
                }

                if (Empty && (_ier & IerThri) != 0)
                {
                    interrupts = 1;
                }

                return received;
            case Ier when dlab:
                return (byte)(_divisor >> 8);
            case Ier:
                return (byte)(_ier & 0x0f);
            case IirFcr:
                return (byte)(InterruptIdentification() | IirFifoBits);
            case Lcr:
                return _lcr;
            case Mcr:
                return _mcr;
            case Lsr:
                return LineStatus();
            case Msr:
                return ModemStatus();
            case Scr:
                return _scr;
            default:
                return 0;
        }
    }

    private int Transmit(byte value)
    {
        if (_count >= _maxFifo)
        {
            _overrun = true;
            return (_ier & IerRlsi) != 0 ? 1 : 0;
        }

        _fifo[_head] = value;
        _head = (_head + 1) % FifoSize;
        _count++;
        _overrun = false;
        return (_ier & IerRdi) != 0 && _count == TriggerLevel ? 1 : 0;
    }

    /// <summary>The pending cause of highest priority: line status, then received data, then THR empty, then modem status.</summary>
    private byte InterruptIdentification()
    {
        if ((_ier & IerRlsi) != 0 && _overrun)
        {
            return IirRlsi;
        }

        if ((_ier & IerRdi) != 0 && _count >= TriggerLevel)
        {
            return IirRdi;
        }

        if ((_ier & IerThri) != 0 && Empty)
        {
            return IirThri;
        }

        if ((_ier & IerMsi) != 0 && (_mcr & (McrRts | McrDtr)) != 0)
        {
            return IirMsi;
        }

        return IirNoInt;
    }

    private byte LineStatus()
    {
        byte lsr = 0;
        if (!Empty)
        {
            lsr |= LsrDr;
        }

        if (_overrun)
        {
            lsr |= LsrOe;
        }

        if (Empty)
        {
            lsr |= LsrThre | LsrTemt;
        }

        return lsr;
    }

    private byte ModemStatus()
    {
        byte msr = MsrDsr | MsrDdsr | MsrDcd;
        bool autoFlow = (_mcr & McrAfe) != 0;
        if (!autoFlow || _count < _maxFifo)
        {
            msr |= MsrCts | MsrDcts; // Clear to send unless auto flow control sees a full FIFO.
        }

        return msr;
    }
}
