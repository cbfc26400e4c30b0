using System.Buffers.Binary;

namespace MdevCore.Vfio;

/// <summary>
/// Decodes the raw VFIO device ioctls (ioctl number plus the bytes of the little-endian C struct) into
/// <see cref="IVfioDeviceOps"/> calls and encodes the answers, with the kernel's argsz rules.
/// </summary>
/// <remarks>
/// A vendor that implements <see cref="IVfioDeviceOps"/> answers <c>IMdevDeviceIoctl.Ioctl</c> by calling
/// <see cref="Dispatch"/>. Rules: the caller's <c>argsz</c> must cover the fields the command reads
/// (<see cref="Errno.EINVAL"/> otherwise); a buffer shorter than those fields is a failed copy from user
/// memory (<see cref="Errno.EFAULT"/>); only the fixed fields are written back; unknown commands give
/// <see cref="Errno.ENOTTY"/>. Thread safety: stateless.
/// </remarks>
public static class VfioIoctlCodec
{
    private const int DeviceInfoMinSize = 16;
    private const int RegionInfoMinSize = 32;
    private const int IrqInfoMinSize = 16;
    private const int CapabilityHeaderSize = 8;

    /// <summary>Handles one raw device ioctl.</summary>
    /// <param name="ops">The device.</param>
    /// <param name="command">The ioctl number (<see cref="VfioIoctls"/>).</param>
    /// <param name="argument">The argument struct, read and written in place.</param>
    /// <returns>0 on success, or the errno.</returns>
    public static Result<long> Dispatch(IVfioDeviceOps ops, uint command, Span<byte> argument)
    {
        ArgumentNullException.ThrowIfNull(ops);
        Errno error = command switch
        {
            VfioIoctls.DeviceGetInfo => GetInfo(ops, argument),
            VfioIoctls.DeviceGetRegionInfo => GetRegionInfo(ops, argument),
            VfioIoctls.DeviceGetIrqInfo => GetIrqInfo(ops, argument),
            VfioIoctls.DeviceSetIrqs => SetIrqs(ops, argument),
            VfioIoctls.DeviceReset => ops.Reset(),
            VfioIoctls.DeviceQueryGfxPlane => ops is IVfioDeviceGfxPlane gfx ? QueryGfxPlane(gfx, argument) : Errno.ENOTTY,
            _ => Errno.ENOTTY,
        };
        return error == Errno.None ? Result<long>.Ok(0) : Result<long>.Fail(error);
    }

    private static Errno CheckArgSize(ReadOnlySpan<byte> argument, int minimum)
    {
        if (argument.Length < 4)
        {
            return Errno.EFAULT;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(argument) < minimum)
        {
            return Errno.EINVAL;
        }

        return argument.Length < minimum ? Errno.EFAULT : Errno.None;
    }

    private static Errno GetInfo(IVfioDeviceOps ops, Span<byte> argument)
    {
        Errno error = CheckArgSize(argument, DeviceInfoMinSize);
        if (error != Errno.None)
        {
            return error;
        }

        VfioDeviceInfo info = ops.GetInfo();
        BinaryPrimitives.WriteUInt32LittleEndian(argument[4..], info.Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(argument[8..], info.NumRegions);
        BinaryPrimitives.WriteUInt32LittleEndian(argument[12..], info.NumIrqs);
        return Errno.None;
    }

    private static Errno GetRegionInfo(IVfioDeviceOps ops, Span<byte> argument)
    {
        Errno error = CheckArgSize(argument, RegionInfoMinSize);
        if (error != Errno.None)
        {
            return error;
        }

        uint argsz = BinaryPrimitives.ReadUInt32LittleEndian(argument);
        uint index = BinaryPrimitives.ReadUInt32LittleEndian(argument[8..]);
        Result<VfioRegionInfo> result = ops.GetRegionInfo(index);
        if (!result.TryGetValue(out VfioRegionInfo? info))
        {
            return result.Error;
        }

        uint flags = info.Flags;
        uint capOffset = 0;
        if (info.Capabilities.Count > 0)
        {
            flags |= VfioFlags.RegionCaps;
            int chainSize = 0;
            foreach (VfioRegionCapability capability in info.Capabilities)
            {
                chainSize += Align8(capability.Size);
            }

            long needed = RegionInfoMinSize + chainSize;
            if (argsz < needed)
            {
                // As vfio-pci: report the size needed and leave the chain out.
                BinaryPrimitives.WriteUInt32LittleEndian(argument, (uint)needed);
            }
            else if (argument.Length < needed)
            {
                return Errno.EFAULT;
            }
            else
            {
                capOffset = RegionInfoMinSize;
                WriteChain(info.Capabilities, argument[RegionInfoMinSize..(int)needed]);
            }
        }

        BinaryPrimitives.WriteUInt32LittleEndian(argument[4..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(argument[12..], capOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(argument[16..], info.Size);
        BinaryPrimitives.WriteUInt64LittleEndian(argument[24..], info.Offset);
        return Errno.None;
    }

    /// <summary>Each header's <c>next</c> is the offset from the start of the info struct; 0 ends the chain.</summary>
    private static void WriteChain(IReadOnlyList<VfioRegionCapability> capabilities, Span<byte> chain)
    {
        chain.Clear();
        int at = 0;
        for (int i = 0; i < capabilities.Count; i++)
        {
            VfioRegionCapability capability = capabilities[i];
            int size = Align8(capability.Size);
            Span<byte> slot = chain.Slice(at, size);
            BinaryPrimitives.WriteUInt16LittleEndian(slot, capability.Id);
            BinaryPrimitives.WriteUInt16LittleEndian(slot[2..], capability.Version);
            uint next = i == capabilities.Count - 1 ? 0u : (uint)(RegionInfoMinSize + at + size);
            BinaryPrimitives.WriteUInt32LittleEndian(slot[4..], next);
            capability.WriteBody(slot[CapabilityHeaderSize..]);
            at += size;
        }
    }

    private static Errno GetIrqInfo(IVfioDeviceOps ops, Span<byte> argument)
    {
        Errno error = CheckArgSize(argument, IrqInfoMinSize);
        if (error != Errno.None)
        {
            return error;
        }

        uint index = BinaryPrimitives.ReadUInt32LittleEndian(argument[8..]);
        Result<VfioIrqInfo> result = ops.GetIrqInfo(index);
        if (!result.TryGetValue(out VfioIrqInfo info))
        {
            return result.Error;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(argument[4..], info.Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(argument[12..], info.Count);
        return Errno.None;
    }

    private static Errno SetIrqs(IVfioDeviceOps ops, Span<byte> argument)
    {
        Errno error = CheckArgSize(argument, VfioIrqSet.HeaderSize);
        if (error != Errno.None)
        {
            return error;
        }

        var request = new VfioIrqSet(
            BinaryPrimitives.ReadUInt32LittleEndian(argument),
            BinaryPrimitives.ReadUInt32LittleEndian(argument[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(argument[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(argument[12..]),
            BinaryPrimitives.ReadUInt32LittleEndian(argument[16..]));
        VfioDeviceInfo device = ops.GetInfo();
        uint vectors = request.Index < device.NumIrqs && ops.GetIrqInfo(request.Index).TryGetValue(out VfioIrqInfo irq) ? irq.Count : 0;
        error = request.Validate(vectors, device.NumIrqs, out int payloadSize);
        if (error != Errno.None)
        {
            return error;
        }

        if (argument.Length < VfioIrqSet.HeaderSize + payloadSize)
        {
            return Errno.EFAULT;
        }

        return ops.SetIrqs(request, argument.Slice(VfioIrqSet.HeaderSize, payloadSize));
    }

    private static Errno QueryGfxPlane(IVfioDeviceGfxPlane gfx, Span<byte> argument)
    {
        Errno error = CheckArgSize(argument, VfioGfxPlaneInfo.MinimumSize);
        if (error != Errno.None)
        {
            return error;
        }

        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(argument[4..]);
        uint planeType = BinaryPrimitives.ReadUInt32LittleEndian(argument[8..]);
        Result<VfioGfxPlaneInfo> result = gfx.QueryGfxPlane(flags, planeType);
        if (!result.TryGetValue(out VfioGfxPlaneInfo plane))
        {
            return result.Error;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(argument[12..], plane.DrmFormat);
        BinaryPrimitives.WriteUInt64LittleEndian(argument[16..], plane.DrmFormatModifier);
        BinaryPrimitives.WriteUInt32LittleEndian(argument[24..], plane.Width);
        BinaryPrimitives.WriteUInt32LittleEndian(argument[28..], plane.Height);
        BinaryPrimitives.WriteUInt32LittleEndian(argument[32..], plane.Stride);
        BinaryPrimitives.WriteUInt32LittleEndian(argument[36..], plane.Size);
        BinaryPrimitives.WriteUInt32LittleEndian(argument[40..], plane.XPos);
        BinaryPrimitives.WriteUInt32LittleEndian(argument[44..], plane.YPos);
        BinaryPrimitives.WriteUInt32LittleEndian(argument[48..], plane.XHot);
        BinaryPrimitives.WriteUInt32LittleEndian(argument[52..], plane.YHot);
        BinaryPrimitives.WriteUInt32LittleEndian(argument[56..], plane.RegionIndexOrDmabufId);
        return Errno.None;
    }

    private static int Align8(int size) => (size + 7) & ~7;
}
