namespace MdevCore.Mediated;

/// <summary>Optional: mapping of device memory (seed <c>mmap</c>).</summary>
public interface IMdevDeviceMmap
{
    /// <summary>Maps <paramref name="length"/> bytes at device-file offset <paramref name="offset"/>.</summary>
    /// <param name="mdev">The device.</param>
    /// <param name="offset">The device-file offset, page aligned.</param>
    /// <param name="length">The length in bytes.</param>
    /// <returns>The memory window shared with the vendor, or an errno (<see cref="Errno.EINVAL"/> for an unmappable range).</returns>
    Result<Memory<byte>> Mmap(MdevDevice mdev, long offset, long length);
}
