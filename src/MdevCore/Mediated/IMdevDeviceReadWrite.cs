namespace MdevCore.Mediated;

/// <summary>Optional: read and write emulation of the device's regions (seed <c>read</c>/<c>write</c>).</summary>
/// <remarks>The offset encodes the region as the vendor chooses and reports it (for example <c>index &lt;&lt; 40</c>).</remarks>
public interface IMdevDeviceReadWrite
{
    /// <summary>Reads from the device.</summary>
    /// <param name="mdev">The device.</param>
    /// <param name="buffer">Where the bytes go.</param>
    /// <param name="offset">The device-file offset.</param>
    /// <returns>The byte count, or an errno (<see cref="Errno.EFAULT"/>, <see cref="Errno.EINVAL"/>, ...).</returns>
    Result<int> Read(MdevDevice mdev, Span<byte> buffer, long offset);

    /// <summary>Writes to the device.</summary>
    /// <param name="mdev">The device.</param>
    /// <param name="data">The bytes.</param>
    /// <param name="offset">The device-file offset.</param>
    /// <returns>The byte count, or an errno.</returns>
    Result<int> Write(MdevDevice mdev, ReadOnlySpan<byte> data, long offset);
}
