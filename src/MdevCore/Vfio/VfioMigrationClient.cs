using System.Buffers.Binary;
using MdevCore.Mediated;
using static MdevCore.Vfio.VfioMigrationIoctls;

namespace MdevCore.Vfio;

/// <summary>
/// The VMM's side of VFIO migration v2 over an open device: VFIO_DEVICE_FEATURE calls encoded as the kernel
/// expects them, and the <c>data_fd</c> resolved to the data file's stream.
/// </summary>
/// <remarks>Thread safety: as the device handle.</remarks>
public static class VfioMigrationClient
{
    /// <summary>GET VFIO_DEVICE_FEATURE_MIGRATION.</summary>
    /// <param name="device">The open device.</param>
    /// <returns>The flags, or the errno (<see cref="Errno.ENOTTY"/> when the device cannot migrate).</returns>
    public static Result<VfioMigrationCapabilities> GetMigrationFlags(this MdevDeviceHandle device)
    {
        Span<byte> arg = stackalloc byte[FeatureHeaderSize + 8];
        Errno error = Feature(device, FeatureGet | FeatureMigration, arg);
        return error == Errno.None ? (VfioMigrationCapabilities)BinaryPrimitives.ReadUInt64LittleEndian(arg[FeatureHeaderSize..]) : error;
    }

    /// <summary>GET VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE.</summary>
    /// <param name="device">The open device.</param>
    /// <returns>The state, or the errno.</returns>
    public static Result<VfioMigrationState> GetMigrationState(this MdevDeviceHandle device)
    {
        Span<byte> arg = stackalloc byte[FeatureHeaderSize + 8];
        Errno error = Feature(device, FeatureGet | FeatureMigDeviceState, arg);
        return error == Errno.None ? (VfioMigrationState)BinaryPrimitives.ReadUInt32LittleEndian(arg[FeatureHeaderSize..]) : error;
    }

    /// <summary>SET VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE.</summary>
    /// <param name="device">The open device.</param>
    /// <param name="files">The host's file table (<see cref="VfioHost.Files"/>), to resolve <c>data_fd</c>.</param>
    /// <param name="state">The state to reach.</param>
    /// <returns>The data file when the transition opened one, <see langword="null"/> when <c>data_fd</c> is -1, or the errno.</returns>
    public static Result<VfioMigrationStream?> SetMigrationState(this MdevDeviceHandle device, VfioFileTable files, VfioMigrationState state)
    {
        ArgumentNullException.ThrowIfNull(files);
        Span<byte> arg = stackalloc byte[FeatureHeaderSize + 8];
        BinaryPrimitives.WriteUInt32LittleEndian(arg[FeatureHeaderSize..], (uint)state);
        Errno error = Feature(device, FeatureSet | FeatureMigDeviceState, arg);
        if (error != Errno.None)
        {
            return Result<VfioMigrationStream?>.Fail(error);
        }

        int fd = BinaryPrimitives.ReadInt32LittleEndian(arg[(FeatureHeaderSize + 4)..]);
        if (fd < 0)
        {
            return Result<VfioMigrationStream?>.Ok(null);
        }

        Result<VfioMigrationStream> file = files.Get(fd);
        return file.TryGetValue(out VfioMigrationStream? found) ? Result<VfioMigrationStream?>.Ok(found) : Result<VfioMigrationStream?>.Fail(file.Error);
    }

    /// <summary>GET VFIO_DEVICE_FEATURE_MIG_DATA_SIZE.</summary>
    /// <param name="device">The open device.</param>
    /// <returns>stop_copy_length, or the errno.</returns>
    public static Result<ulong> GetMigrationDataSize(this MdevDeviceHandle device)
    {
        Span<byte> arg = stackalloc byte[FeatureHeaderSize + 8];
        Errno error = Feature(device, FeatureGet | FeatureMigDataSize, arg);
        return error == Errno.None ? BinaryPrimitives.ReadUInt64LittleEndian(arg[FeatureHeaderSize..]) : error;
    }

    /// <summary>VFIO_MIG_GET_PRECOPY_INFO on a PRE_COPY data file.</summary>
    /// <param name="file">The data file.</param>
    /// <returns>The info, or the errno.</returns>
    public static Result<VfioPrecopyInfo> QueryPrecopyInfo(this VfioMigrationStream file)
    {
        ArgumentNullException.ThrowIfNull(file);
        Span<byte> arg = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(arg, 24);
        Result<long> result = file.Ioctl(MigGetPrecopyInfo, arg);
        return result.Succeeded
            ? new VfioPrecopyInfo(BinaryPrimitives.ReadUInt64LittleEndian(arg[8..]), BinaryPrimitives.ReadUInt64LittleEndian(arg[16..]))
            : result.Error;
    }

    private static Errno Feature(MdevDeviceHandle device, uint flags, Span<byte> arg)
    {
        ArgumentNullException.ThrowIfNull(device);
        BinaryPrimitives.WriteUInt32LittleEndian(arg, (uint)arg.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(arg[4..], flags);
        Result<long> result = device.Ioctl(DeviceFeature, arg);
        return result.Succeeded ? Errno.None : result.Error;
    }
}
