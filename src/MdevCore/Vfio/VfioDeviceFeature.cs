using System.Buffers.Binary;
using static MdevCore.Vfio.VfioMigrationIoctls;

namespace MdevCore.Vfio;

/// <summary>
/// The VFIO core's VFIO_DEVICE_FEATURE ioctl for the migration features (kernel: <c>vfio_ioctl_device_feature</c>,
/// <c>vfio_check_feature</c> and the <c>vfio_ioctl_device_feature_mig*</c> handlers in <c>drivers/vfio/vfio_main.c</c>).
/// </summary>
/// <remarks>
/// <para>Order of the checks, each with its errno: a buffer under 8 bytes, or under argsz where the payload is
/// read or written, is <see cref="Errno.EFAULT"/>; argsz under 8, a flag outside the feature mask and
/// GET/SET/PROBE, or GET together with SET without PROBE, is <see cref="Errno.EINVAL"/>; a migration feature on a
/// device without migration is <see cref="Errno.ENOTTY"/>; then <c>vfio_check_feature</c>: GET or SET where the
/// feature does not support it, neither of them without PROBE, or a payload (argsz - 8) shorter than the
/// feature's struct, is <see cref="Errno.EINVAL"/>; PROBE then answers 0. Any other feature number is
/// <see cref="Errno.EINVAL"/> (no driver here has a <c>device_feature</c> op). DMA logging (features 6-8) is not
/// modelled and answers as an unknown feature.</para>
/// <para>A successful SET of MIG_DEVICE_STATE writes the data file's number from <see cref="VfioFileTable"/> into
/// <c>data_fd</c>, or -1 when the transition opens none; a failed SET still writes -1 and returns the errno.</para>
/// <para>Thread safety: stateless.</para>
/// </remarks>
public static class VfioDeviceFeature
{
    private const int MigrationSize = 8;
    private const int MigStateSize = 8;
    private const int DataSizeSize = 8;

    /// <summary>Handles one VFIO_DEVICE_FEATURE.</summary>
    /// <param name="device">The device's migration side, or <see langword="null"/> when it cannot migrate.</param>
    /// <param name="files">Where data files get their numbers.</param>
    /// <param name="argument"><c>struct vfio_device_feature</c> and its payload, read and written in place.</param>
    /// <returns>0, or the errno (see the remarks).</returns>
    public static Result<long> Dispatch(IVfioMigration? device, VfioFileTable files, Span<byte> argument)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (argument.Length < FeatureHeaderSize)
        {
            return Errno.EFAULT;
        }

        uint argsz = BinaryPrimitives.ReadUInt32LittleEndian(argument);
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(argument[4..]);
        if (argsz < FeatureHeaderSize)
        {
            return Errno.EINVAL;
        }

        if ((flags & ~(FeatureMask | FeatureSet | FeatureGet | FeatureProbe)) != 0)
        {
            return Errno.EINVAL;
        }

        if ((flags & FeatureProbe) == 0 && (flags & FeatureSet) != 0 && (flags & FeatureGet) != 0)
        {
            return Errno.EINVAL;
        }

        long payloadSize = argsz - FeatureHeaderSize;
        Span<byte> payload = argument[FeatureHeaderSize..];
        Errno error = (flags & FeatureMask) switch
        {
            FeatureMigration => Migration(device, flags, payload, payloadSize),
            FeatureMigDeviceState => MigDeviceState(device, files, flags, payload, payloadSize),
            FeatureMigDataSize => DataSize(device, flags, payload, payloadSize),
            _ => Errno.EINVAL,
        };
        return error == Errno.None ? Result<long>.Ok(0) : Result<long>.Fail(error);
    }

    /// <summary>vfio_check_feature: <see cref="Errno.None"/> to go on, <see cref="Errno.EAGAIN"/> standing for "0, a probe", or EINVAL.</summary>
    private static Errno CheckFeature(uint flags, long payloadSize, uint supported, int minimum)
    {
        if ((flags & (FeatureGet | FeatureSet) & ~supported) != 0)
        {
            return Errno.EINVAL;
        }

        if ((flags & FeatureProbe) != 0)
        {
            return Errno.EAGAIN;
        }

        if ((flags & (FeatureGet | FeatureSet)) == 0 || payloadSize < minimum)
        {
            return Errno.EINVAL;
        }

        return Errno.None;
    }

    private static Errno Checked(IVfioMigration? device, uint flags, long payloadSize, uint supported, int minimum, Span<byte> payload)
    {
        if (device is null)
        {
            return Errno.ENOTTY;
        }

        Errno check = CheckFeature(flags, payloadSize, supported, minimum);
        if (check != Errno.None)
        {
            return check;
        }

        return payload.Length < minimum ? Errno.EFAULT : Errno.None;
    }

    private static Errno Migration(IVfioMigration? device, uint flags, Span<byte> payload, long payloadSize)
    {
        Errno check = Checked(device, flags, payloadSize, FeatureGet, MigrationSize, payload);
        if (check != Errno.None)
        {
            return check == Errno.EAGAIN ? Errno.None : check;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(payload, (ulong)device!.MigrationFlags);
        return Errno.None;
    }

    private static Errno DataSize(IVfioMigration? device, uint flags, Span<byte> payload, long payloadSize)
    {
        Errno check = Checked(device, flags, payloadSize, FeatureGet, DataSizeSize, payload);
        if (check != Errno.None)
        {
            return check == Errno.EAGAIN ? Errno.None : check;
        }

        Result<ulong> size = device!.GetDataSize();
        if (!size.TryGetValue(out ulong length))
        {
            return size.Error;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(payload, length);
        return Errno.None;
    }

    private static Errno MigDeviceState(IVfioMigration? device, VfioFileTable files, uint flags, Span<byte> payload, long payloadSize)
    {
        Errno check = Checked(device, flags, payloadSize, FeatureGet | FeatureSet, MigStateSize, payload);
        if (check != Errno.None)
        {
            return check == Errno.EAGAIN ? Errno.None : check;
        }

        if ((flags & FeatureGet) != 0)
        {
            Result<VfioMigrationState> current = device!.GetState();
            if (!current.TryGetValue(out VfioMigrationState state))
            {
                return current.Error;
            }

            BinaryPrimitives.WriteUInt32LittleEndian(payload, (uint)state);
            BinaryPrimitives.WriteInt32LittleEndian(payload[4..], -1);
            return Errno.None;
        }

        var target = (VfioMigrationState)BinaryPrimitives.ReadUInt32LittleEndian(payload);
        Result<VfioMigrationStream?> result = device!.SetState(target);
        int fd = result.TryGetValue(out VfioMigrationStream? file) && file is not null ? files.Add(file) : -1;
        BinaryPrimitives.WriteInt32LittleEndian(payload[4..], fd);
        return result.Succeeded ? Errno.None : result.Error;
    }
}
