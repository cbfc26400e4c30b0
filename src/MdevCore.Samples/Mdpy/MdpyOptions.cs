namespace MdevCore.Samples.Mdpy;

/// <summary>Settings of one <see cref="MdpyDriver"/>.</summary>
/// <remarks>Thread safety: not thread-safe; do not change an instance after passing it to the driver.</remarks>
public sealed class MdpyOptions
{
    /// <summary>How many displays may exist at once, whatever their types (the module parameter <c>count</c>, 4 in the kernel).
    /// The core enforces it (<see cref="Mediated.MdevParentOptions.MaxInstances"/>): one more create fails with <see cref="Errno.EUSERS"/>.</summary>
    public int MaxDevices { get; set; } = 4;
}
