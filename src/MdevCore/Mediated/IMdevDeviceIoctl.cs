namespace MdevCore.Mediated;

/// <summary>Optional: ioctl handling (seed <c>ioctl</c>), for example the VFIO device commands.</summary>
public interface IMdevDeviceIoctl
{
    /// <summary>Handles one ioctl.</summary>
    /// <param name="mdev">The device.</param>
    /// <param name="command">The ioctl number, for example 0x3B6B for VFIO_DEVICE_GET_INFO.</param>
    /// <param name="argument">The argument buffer, read and written in place (little-endian C structs).</param>
    /// <returns>The non-negative return value, or an errno (<see cref="Errno.ENOTTY"/> for an unknown command).</returns>
    Result<long> Ioctl(MdevDevice mdev, uint command, Span<byte> argument);
}
