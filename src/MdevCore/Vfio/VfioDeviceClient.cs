using System.Buffers.Binary;
using MdevCore.Mediated;

namespace MdevCore.Vfio;

/// <summary>
/// The user side of a VFIO device: typed calls that encode the kernel's C structs, send them through
/// the device handle's raw ioctl, and decode the answer, as a VMM would.
/// </summary>
/// <remarks>Thread safety: as the underlying handle.</remarks>
public sealed class VfioDeviceClient
{
    private readonly MdevDeviceHandle _handle;

    /// <summary>Wraps an open device.</summary>
    /// <param name="handle">The open device.</param>
    public VfioDeviceClient(MdevDeviceHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        _handle = handle;
    }

    /// <summary>VFIO_DEVICE_GET_INFO.</summary>
    /// <returns>The info, or the errno.</returns>
    public Result<VfioDeviceInfo> GetInfo()
    {
        Span<byte> arg = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(arg, 24);
        Result<long> r = _handle.Ioctl(VfioIoctls.DeviceGetInfo, arg);
        return r.Succeeded
            ? new VfioDeviceInfo(BinaryPrimitives.ReadUInt32LittleEndian(arg[4..]), BinaryPrimitives.ReadUInt32LittleEndian(arg[8..]), BinaryPrimitives.ReadUInt32LittleEndian(arg[12..]))
            : r.Error;
    }

    /// <summary>VFIO_DEVICE_GET_REGION_INFO, retried with the size the device asks for when it has capabilities.</summary>
    /// <param name="index">The region index.</param>
    /// <returns>The info with its decoded capability chain, or the errno.</returns>
    public Result<VfioRegionInfo> GetRegionInfo(uint index)
    {
        byte[] arg = new byte[32];
        while (true)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(arg, (uint)arg.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(arg.AsSpan(8), index);
            Result<long> r = _handle.Ioctl(VfioIoctls.DeviceGetRegionInfo, arg);
            if (!r.Succeeded)
            {
                return r.Error;
            }

            uint argsz = BinaryPrimitives.ReadUInt32LittleEndian(arg);
            if (argsz <= arg.Length)
            {
                break;
            }

            arg = new byte[argsz];
        }

        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(arg.AsSpan(4));
        uint capOffset = BinaryPrimitives.ReadUInt32LittleEndian(arg.AsSpan(12));
        return new VfioRegionInfo(index, flags, BinaryPrimitives.ReadUInt64LittleEndian(arg.AsSpan(16)),
            BinaryPrimitives.ReadUInt64LittleEndian(arg.AsSpan(24)), DecodeChain(arg, capOffset));
    }

    /// <summary>VFIO_DEVICE_GET_IRQ_INFO.</summary>
    /// <param name="index">The IRQ index.</param>
    /// <returns>The info, or the errno.</returns>
    public Result<VfioIrqInfo> GetIrqInfo(uint index)
    {
        Span<byte> arg = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(arg, 16);
        BinaryPrimitives.WriteUInt32LittleEndian(arg[8..], index);
        Result<long> r = _handle.Ioctl(VfioIoctls.DeviceGetIrqInfo, arg);
        return r.Succeeded
            ? new VfioIrqInfo(index, BinaryPrimitives.ReadUInt32LittleEndian(arg[4..]), BinaryPrimitives.ReadUInt32LittleEndian(arg[12..]))
            : r.Error;
    }

    /// <summary>VFIO_DEVICE_SET_IRQS.</summary>
    /// <param name="flags">Data-type and action bits.</param>
    /// <param name="index">The IRQ index.</param>
    /// <param name="start">The first vector.</param>
    /// <param name="count">The number of vectors.</param>
    /// <param name="payload">Bytes for BOOL, little-endian int32 eventfd numbers for EVENTFD, empty for NONE.</param>
    /// <returns><see cref="Errno.None"/>, or the errno.</returns>
    public Errno SetIrqs(uint flags, uint index, uint start, uint count, ReadOnlySpan<byte> payload)
    {
        byte[] arg = new byte[VfioIrqSet.HeaderSize + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(arg, (uint)arg.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(arg.AsSpan(4), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(arg.AsSpan(8), index);
        BinaryPrimitives.WriteUInt32LittleEndian(arg.AsSpan(12), start);
        BinaryPrimitives.WriteUInt32LittleEndian(arg.AsSpan(16), count);
        payload.CopyTo(arg.AsSpan(VfioIrqSet.HeaderSize));
        return _handle.Ioctl(VfioIoctls.DeviceSetIrqs, arg).Error;
    }

    /// <summary>VFIO_DEVICE_RESET.</summary>
    /// <returns><see cref="Errno.None"/>, or the errno.</returns>
    public Errno Reset() => _handle.Ioctl(VfioIoctls.DeviceReset, []).Error;

    /// <summary>VFIO_DEVICE_QUERY_GFX_PLANE.</summary>
    /// <param name="flags">Probe and plane-kind bits (<see cref="VfioFlags.GfxPlaneTypeRegion"/>, ...).</param>
    /// <param name="drmPlaneType">The plane asked about; the primary plane by default.</param>
    /// <returns>The plane, or the errno (<see cref="Errno.ENOTTY"/> for a device without display planes).</returns>
    public Result<VfioGfxPlaneInfo> QueryGfxPlane(uint flags, uint drmPlaneType = VfioGfxPlaneInfo.DrmPlaneTypePrimary)
    {
        Span<byte> arg = stackalloc byte[VfioGfxPlaneInfo.StructSize];
        arg.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(arg, VfioGfxPlaneInfo.StructSize);
        BinaryPrimitives.WriteUInt32LittleEndian(arg[4..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(arg[8..], drmPlaneType);
        Result<long> r = _handle.Ioctl(VfioIoctls.DeviceQueryGfxPlane, arg);
        if (!r.Succeeded)
        {
            return r.Error;
        }

        return new VfioGfxPlaneInfo(
            BinaryPrimitives.ReadUInt32LittleEndian(arg[12..]), BinaryPrimitives.ReadUInt64LittleEndian(arg[16..]),
            BinaryPrimitives.ReadUInt32LittleEndian(arg[24..]), BinaryPrimitives.ReadUInt32LittleEndian(arg[28..]),
            BinaryPrimitives.ReadUInt32LittleEndian(arg[32..]), BinaryPrimitives.ReadUInt32LittleEndian(arg[36..]),
            BinaryPrimitives.ReadUInt32LittleEndian(arg[40..]), BinaryPrimitives.ReadUInt32LittleEndian(arg[44..]),
            BinaryPrimitives.ReadUInt32LittleEndian(arg[48..]), BinaryPrimitives.ReadUInt32LittleEndian(arg[52..]),
            BinaryPrimitives.ReadUInt32LittleEndian(arg[56..]));
    }

    private static List<VfioRegionCapability> DecodeChain(byte[] arg, uint offset)
    {
        var capabilities = new List<VfioRegionCapability>();
        for (int guard = 0; offset != 0 && offset + 8 <= arg.Length && guard < 64; guard++)
        {
            ReadOnlySpan<byte> cap = arg.AsSpan((int)offset);
            ushort id = BinaryPrimitives.ReadUInt16LittleEndian(cap);
            uint next = BinaryPrimitives.ReadUInt32LittleEndian(cap[4..]);
            switch (id)
            {
                case VfioFlags.RegionCapType:
                    capabilities.Add(new VfioRegionTypeCapability(BinaryPrimitives.ReadUInt32LittleEndian(cap[8..]), BinaryPrimitives.ReadUInt32LittleEndian(cap[12..])));
                    break;
                case VfioFlags.RegionCapSparseMmap:
                    uint areas = BinaryPrimitives.ReadUInt32LittleEndian(cap[8..]);
                    var list = new List<(ulong, ulong)>();
                    for (int i = 0; i < areas; i++)
                    {
                        list.Add((BinaryPrimitives.ReadUInt64LittleEndian(cap[(16 + (16 * i))..]), BinaryPrimitives.ReadUInt64LittleEndian(cap[(24 + (16 * i))..])));
                    }

                    capabilities.Add(new VfioSparseMmapCapability(list));
                    break;
                default:
                    break;
            }

            offset = next;
        }

        return capabilities;
    }
}
