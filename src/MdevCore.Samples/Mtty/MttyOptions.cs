namespace MdevCore.Samples.Mtty;

/// <summary>Settings of one <see cref="MttyDriver"/> (the kernel sample's module-wide constants).</summary>
/// <remarks>Thread safety: not thread-safe; do not change an instance after passing it to the driver.</remarks>
public sealed class MttyOptions
{
    /// <summary>The pool of serial ports shared by every device of the driver (<c>MAX_MTTYS</c>, 24 in the kernel).
    /// An <c>mtty-1</c> device takes one port, an <c>mtty-2</c> device two.</summary>
    public int TotalPorts { get; set; } = 24;
}
