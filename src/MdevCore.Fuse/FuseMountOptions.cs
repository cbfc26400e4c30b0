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

    /// <summary>
    /// Let users other than the mounting one use the mount (<c>allow_other</c>); default off, so only the
    /// mounting user (and not even root, if that is someone else) can see the tree. Honoured only when run as
    /// root. When on, the mount behaves as sysfs does for other users: every node is owned by root:root,
    /// the kernel checks mode bits against the caller (<c>default_permissions</c>) and the server checks each
    /// request against the caller's uid and groups again, so another user can read what sysfs lets
    /// everyone read but cannot write <c>create</c>, <c>remove</c> or any other root-only attribute.
    /// See docs/fuse.md, "Who may use a mount".
    /// </summary>
    public bool AllowOther { get; set; }

    /// <summary>
    /// With <see cref="AllowOther"/>: also let the kernel check permissions (<c>default_permissions</c>).
    /// Always on outside tests, which turn it off to prove that the server's own check holds by itself.
    /// </summary>
    internal bool KernelChecksPermissions { get; set; } = true;

    /// <summary>
    /// Unmount by itself when the serving process dies, even by SIGKILL (libfuse's <c>auto_unmount</c>: the
    /// mount is made through <c>fusermount3</c>, which stays behind watching the connection and unmounts once
    /// it closes). Default off: a mount in a private namespace, or one disposed reliably, does not need it.
    /// </summary>
    public bool AutoUnmount { get; set; }

    /// <summary>Have libfuse print every request on standard error (<c>-o debug</c>).</summary>
    public bool Debug { get; set; }

    /// <summary>
    /// How long the kernel may keep a positive directory entry (the path walk) without asking again;
    /// default one second, <see cref="TimeSpan.Zero"/> for a LOOKUP per path component on every open.
    /// Attributes are never cached (<c>attr_timeout=0</c>) and negative entries neither, so every
    /// <c>stat</c>, <c>open</c>, <c>readlink</c> and <c>readdir</c> still reaches the server, which answers by
    /// path from the live tree: a cached entry for a device removed meanwhile only costs the request that
    /// then answers <c>ENOENT</c>, and new devices appear at once. To drop such entries early, the server
    /// remembers the paths it answered and invalidates vanished ones after every write through the mount
    /// (<c>fuse_invalidate_path</c>) before the write returns; after in-process changes an embedder may call
    /// <see cref="SysfsFuseMount.Revalidate"/> for the same effect.
    /// </summary>
    public TimeSpan EntryTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long <see cref="SysfsFuseMount.Dispose"/> waits for the request loop to end after unmounting.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
