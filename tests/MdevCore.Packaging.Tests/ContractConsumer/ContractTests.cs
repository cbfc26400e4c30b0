// A vendor's contract tests, the same source under xunit v2 and v3: the adapter package decides the framework.
using MdevCore;
using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Samples.Mtty;
using MdevCore.Testing;

namespace ContractConsumer;

/// <summary>A correct driver with the whole VFIO device path: mtty from MdevCore.Samples.</summary>
public sealed class MttyContractTests : VendorDriverContractTests
{
    protected override Errno ExhaustedErrno => Errno.ENOSPC;

    protected override MdevParent RegisterParent(MdevHost host) => new MttyDriver().Register(host).GetValueOrThrow();
}

/// <summary>A correct driver without VFIO callbacks, whose budget the core counts.</summary>
public sealed class PlainContractTests : VendorDriverContractTests
{
    protected override Errno ExhaustedErrno => Errno.EUSERS;

    protected override MdevParent RegisterParent(MdevHost host)
    {
        Device card = host.DeviceModel.AddPciDevice("0000:00:05.0", new PciIds(0x1d0f, 0xc0de, 0x120000)).GetValueOrThrow();
        return host.Mdev.RegisterParent(card, new PlainDriver(), new MdevParentOptions { MaxInstances = 4 }).GetValueOrThrow();
    }

    private sealed class PlainDriver : IMdevParentOps
    {
        public IReadOnlyList<MdevTypeInfo> SupportedTypes { get; } = [new("plain", MdevTypeInfo.VfioPci)];

        public Errno Create(MdevDevice mdev) => Errno.None;

        public Errno Remove(MdevDevice mdev) => Errno.None;
    }
}

/// <summary>A broken driver: its remove forgets to give the budget back, every ioctl "succeeds" with nothing filled in,
/// and every read or write "succeeds" wherever it lands.</summary>
public sealed class BrokenContractTests : VendorDriverContractTests
{
    protected override Errno ExhaustedErrno => Errno.ENOSPC;

    protected override MdevParent RegisterParent(MdevHost host)
    {
        Device card = host.DeviceModel.AddPciDevice("0000:00:06.0", new PciIds(0x1d0f, 0xbad0, 0x120000)).GetValueOrThrow();
        return host.Mdev.RegisterParent(card, new BrokenDriver()).GetValueOrThrow();
    }

    private sealed class BrokenDriver : IMdevParentOps, IMdevAvailableInstances, IMdevDeviceIoctl, IMdevDeviceReadWrite
    {
        private int _used;

        public IReadOnlyList<MdevTypeInfo> SupportedTypes { get; } = [new("broken", MdevTypeInfo.VfioPci)];

        public Errno Create(MdevDevice mdev) => Interlocked.Increment(ref _used) <= 4 ? Errno.None : Errno.ENOSPC;

        public Errno Remove(MdevDevice mdev) => Errno.None;   // the bug: the budget is never given back

        public int GetAvailableInstances(MdevType type) => Math.Max(0, 4 - Volatile.Read(ref _used));

        public Result<long> Ioctl(MdevDevice mdev, uint command, Span<byte> argument) => 0L;

        public Result<int> Read(MdevDevice mdev, Span<byte> buffer, long offset) => buffer.Length;

        public Result<int> Write(MdevDevice mdev, ReadOnlySpan<byte> data, long offset) => data.Length;
    }
}
