using System.Buffers.Binary;
using MdevCore.Mediated;
using MdevCore.Vfio;

namespace MdevCore.Tests.Vfio;

/// <summary>A vendor whose devices answer VFIO ioctls: 9 PCI regions plus a typed region 9, INTx with one vector.</summary>
internal sealed class VfioTestVendor : MdevCore.Tests.Support.TestVendor, IMdevDeviceIoctl, IVfioDeviceOps
{
    public EventTriggerTable Fds { get; } = new();

    public EventTrigger? Intx { get; private set; }

    public int Resets { get; private set; }

    public Result<long> Ioctl(MdevDevice mdev, uint command, Span<byte> argument) => VfioIoctlCodec.Dispatch(this, command, argument);

    public VfioDeviceInfo GetInfo() => new(VfioFlags.DevicePci, VfioFlags.PciNumRegions, VfioFlags.PciNumIrqs);

    public Result<VfioRegionInfo> GetRegionInfo(uint index) => index switch
    {
        VfioFlags.PciConfigRegionIndex => new VfioRegionInfo(index, VfioFlags.RegionRead | VfioFlags.RegionWrite, 0xff, (ulong)index << 40),
        0 => new VfioRegionInfo(0, VfioFlags.RegionRead | VfioFlags.RegionWrite | VfioFlags.RegionMmap, 0x10000, 0x1000, [new VfioSparseMmapCapability([(0x0, 0x8000), (0xc000, 0x4000)])]),
        < VfioFlags.PciNumRegions => new VfioRegionInfo(index, 0, 0, (ulong)index << 40),
        9 => new VfioRegionInfo(9, VfioFlags.RegionRead, 0x400, 0x2000, [new VfioRegionTypeCapability(1, 1)]),
        _ => Errno.EINVAL,
    };

    public Result<VfioIrqInfo> GetIrqInfo(uint index) => index switch
    {
        VfioFlags.PciIntxIrqIndex => new VfioIrqInfo(index, VfioFlags.IrqEventfd | VfioFlags.IrqMaskable | VfioFlags.IrqAutomasked, 1),
        < VfioFlags.PciNumIrqs => new VfioIrqInfo(index, 0, 0),
        _ => Errno.EINVAL,
    };

    public Errno SetIrqs(VfioIrqSet request, ReadOnlySpan<byte> payload)
    {
        if (request.Action != VfioFlags.IrqSetActionTrigger)
        {
            return Errno.ENOTTY;
        }

        switch (request.DataType)
        {
            case VfioFlags.IrqSetDataEventfd:
                int fd = BinaryPrimitives.ReadInt32LittleEndian(payload);
                if (fd == -1)
                {
                    Intx = null;
                    return Errno.None;
                }

                Result<EventTrigger> trigger = Fds.Get(fd);
                if (!trigger.TryGetValue(out EventTrigger? t))
                {
                    return trigger.Error;
                }

                Intx = t;
                return Errno.None;
            case VfioFlags.IrqSetDataNone when request.Count == 0:
                Intx = null;
                return Errno.None;
            default:
                // NONE or BOOL(1): loop-test the interrupt.
                if (request.DataType == VfioFlags.IrqSetDataNone || payload[0] != 0)
                {
                    Intx?.Signal();
                }

                return Errno.None;
        }
    }

    public Errno Reset()
    {
        Resets++;
        return Errno.None;
    }
}
