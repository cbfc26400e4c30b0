namespace MdevCore.Fuse;

/// <summary>How a <see cref="SysfsFuseMount"/> serves its requests.</summary>
/// <remarks>Thread safety: not thread-safe; do not change an instance while a mount is being started with it.</remarks>
public sealed class FuseMountOptions
{
    /// <summary>
    /// Serve on one thread (<c>fuse_loop</c>) instead of libfuse's worker pool (<c>fuse_loop_mt</c>).
    /// Single-threaded serving is fastest when server and clients share one CPU; multi-threaded serving
    /// lets a slow store callback block only one request.
    /// </summary>
    public bool SingleThreaded { get; set; }

    /// <summary>The largest number of libfuse worker threads when <see cref="SingleThreaded"/> is off (default 10).</summary>
    public int MaxThreads { get; set; } = 10;

    /// <summary>Let users other than the mounting one use the mount (<c>allow_other</c>); honoured only when run as root.</summary>
    public bool AllowOther { get; set; } = true;

    /// <summary>Have libfuse print every request on standard error (<c>-o debug</c>).</summary>
    public bool Debug { get; set; }

    /// <summary>How long <see cref="SysfsFuseMount.Dispose"/> waits for the request loop to end after unmounting.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
