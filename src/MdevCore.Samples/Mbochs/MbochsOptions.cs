namespace MdevCore.Samples.Mbochs;

/// <summary>Settings of one <see cref="MbochsDriver"/>.</summary>
/// <remarks>Thread safety: not thread-safe; do not change an instance after passing it to the driver.</remarks>
public sealed class MbochsOptions
{
    /// <summary>The video memory pool shared by every device, in MiB (the module parameter, 256 in the kernel).
    /// Small devices take 4 MiB, medium 16, large 64.</summary>
    public int TotalMegabytes { get; set; } = 256;
}
