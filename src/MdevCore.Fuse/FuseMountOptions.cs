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

    /// <summary>
    /// How long the kernel may keep a positive directory entry and its attributes without asking again
    /// (default zero: every path component of every open is a request). Experimental: with a non-zero
    /// value the server remembers the paths it answered and, after every write through the mount,
    /// invalidates those that are gone (<c>fuse_invalidate_path</c>), so a removed device disappears before
    /// the write returns. Changes made to the host in-process, not through the mount, must be followed
    /// by <see cref="SysfsFuseMount.Revalidate"/>. Negative entries are never cached, so new devices
    /// appear at once either way. Limit: a lookup from another process that is in flight while a device is
    /// removed can still install a stale entry for up to this long.
    /// </summary>
    public TimeSpan EntryTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>How long <see cref="SysfsFuseMount.Dispose"/> waits for the request loop to end after unmounting.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
