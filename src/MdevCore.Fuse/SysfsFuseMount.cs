using System.Runtime.InteropServices;
using MdevCore.Fuse.Interop;
using MdevCore.Sysfs;

namespace MdevCore.Fuse;

/// <summary>A host's <c>/sys</c> served live through FUSE on a directory, until disposed.</summary>
/// <remarks>
/// <para>
/// Uses libfuse 3's <b>high-level, path-based</b> API (<c>fuse_new</c>, <c>fuse_mount</c>, <c>fuse_loop_mt</c>)
/// rather than the low-level inode API. <see cref="SysfsView"/> is itself path-based and renders much of
/// the tree lazily (default attributes, derived links), so it has no stable inode numbers to hand out;
/// the high-level layer keeps the inode-to-path table and answers LOOKUP with our getattr. Its extra cost
/// is one path string per request, small beside the two kernel round trips of each request (a managed
/// server measured within 1.3× of a C libfuse server, see docs/performance.md).
/// </para>
/// <para>
/// The mount uses zero entry, attribute and negative timeouts, so a device that a <c>create</c> or
/// <c>remove</c> write adds or deletes is visible to the very next request. Stopping unmounts the directory
/// (<c>umount2(MNT_DETACH)</c> as root, else <c>fusermount3 -u -z</c>); the request loop then ends by itself.
/// </para>
/// Thread safety: thread-safe; <see cref="Dispose"/> may be called from any thread, for example a signal handler.
/// </remarks>
public sealed unsafe class SysfsFuseMount : IDisposable
{
    private readonly SysfsFuseOperations _operations;
    private readonly FuseMountOptions _options;
    private readonly Thread _loopThread;
    private readonly ManualResetEventSlim _loopEnded = new(false);
    private readonly Lock _disposeLock = new();
    private GCHandle _self;
    private nint* _ops;
    private nint _fuse;
    private int _loopResult;
    private bool _disposed;

    private SysfsFuseMount(SysfsView view, string mountPoint, FuseMountOptions options)
    {
        MountPoint = mountPoint;
        _options = options;
        AllowsOtherUsers = options.AllowOther && FuseSupport.IsRoot();
        _operations = new SysfsFuseOperations(
            view,
            TimeProvider.System.GetUtcNow(),
            trackEntries: options.EntryTimeout > TimeSpan.Zero,
            supplementaryGroups: AllowsOtherUsers ? FuseCallbacks.RequestGroups : null);
        _loopThread = new Thread(Loop) { IsBackground = true, Name = "mdevsim fuse loop" };
    }

    /// <summary>The directory the tree is mounted on.</summary>
    public string MountPoint { get; }

    /// <summary>
    /// Whether users other than the mounting one may use the mount (<see cref="FuseMountOptions.AllowOther"/>
    /// asked for it and the process is root); if so, every request is checked against kernfs ownership.
    /// </summary>
    public bool AllowsOtherUsers { get; }

    /// <summary>How many requests the server has answered so far (getattr, readdir, open, read, ...).</summary>
    public long RequestCount => _operations.RequestCount;

    /// <summary>Whether the request loop is still running.</summary>
    public bool IsServing => !_loopEnded.IsSet;

    /// <summary>Mounts <paramref name="view"/> on <paramref name="mountPoint"/> and starts serving.</summary>
    /// <param name="view">The host's sysfs; its <c>/sys</c> becomes the root of the mount.</param>
    /// <param name="mountPoint">An existing directory.</param>
    /// <param name="options">How to serve; <see langword="null"/> for the defaults.</param>
    /// <returns>The running mount.</returns>
    /// <exception cref="PlatformNotSupportedException">FUSE cannot work here; the message says why (see <see cref="FuseSupport.GetUnavailableReason"/>).</exception>
    /// <exception cref="DirectoryNotFoundException">The mount point does not exist.</exception>
    /// <exception cref="IOException">libfuse refused the options or the mount.</exception>
    public static SysfsFuseMount Start(SysfsView view, string mountPoint, FuseMountOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentException.ThrowIfNullOrEmpty(mountPoint);
        string? reason = FuseSupport.GetUnavailableReason();
        if (reason is not null)
        {
            throw new PlatformNotSupportedException(reason);
        }

        string full = Path.GetFullPath(mountPoint);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"Mount point '{full}' does not exist or is not a directory.");
        }

        var mount = new SysfsFuseMount(view, full, options ?? new FuseMountOptions());
        try
        {
            mount.Create();
            return mount;
        }
        catch
        {
            mount.Dispose();
            throw;
        }
    }

    private void Create()
    {
        _self = GCHandle.Alloc(_operations);
        _ops = (nint*)NativeMemory.AllocZeroed((nuint)(LibFuse.OperationsCount * sizeof(nint)));
        FuseCallbacks.Fill(_ops);

        string timeout = _options.EntryTimeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        string opts = $"fsname=mdevsim,subtype=mdevsim,entry_timeout={timeout},attr_timeout=0,negative_timeout=0";
        if (AllowsOtherUsers)
        {
            // The kernel checks every access against the owner, group and mode getattr reports (root:root,
            // kernfs's modes) with the caller's full credentials; the server checks again per request.
            opts += _options.KernelChecksPermissions ? ",allow_other,default_permissions" : ",allow_other";
        }

        if (_options.AutoUnmount)
        {
            opts += ",auto_unmount";
        }

        string[] argv = _options.Debug ? ["mdevsim", "-o", opts, "-d"] : ["mdevsim", "-o", opts];
        nint[] strings = new nint[argv.Length];
        byte** array = (byte**)NativeMemory.AllocZeroed((nuint)((argv.Length + 1) * sizeof(nint)));
        try
        {
            for (int i = 0; i < argv.Length; i++)
            {
                strings[i] = Marshal.StringToCoTaskMemUTF8(argv[i]);
                array[i] = (byte*)strings[i];
            }

            var args = new FuseArgs { Argc = argv.Length, Argv = array, Allocated = 0 };
            _fuse = LibFuse.FuseNew(&args, _ops, (nuint)(LibFuse.OperationsCount * sizeof(nint)), GCHandle.ToIntPtr(_self));
            if (args.Allocated != 0)
            {
                LibFuse.FreeArgs(&args);
            }
        }
        finally
        {
            foreach (nint s in strings)
            {
                Marshal.FreeCoTaskMem(s);
            }

            NativeMemory.Free(array);
        }

        if (_fuse == 0)
        {
            throw new IOException($"fuse_new rejected the options '{opts}'.");
        }

        if (LibFuse.FuseMount(_fuse, MountPoint) != 0)
        {
            LibFuse.FuseDestroy(_fuse);
            _fuse = 0;
            throw new IOException($"Mounting FUSE on '{MountPoint}' failed (libfuse printed the reason above). " +
                "Mounting needs root, or fusermount3 from the fuse3 package for other users.");
        }

        if (_options.EntryTimeout > TimeSpan.Zero)
        {
            nint fuse = _fuse;
            _operations.Invalidate = path => _ = LibFuse.InvalidatePath(fuse, path);
        }

        _loopThread.Start();
    }

    /// <summary>
    /// With a non-zero <see cref="FuseMountOptions.EntryTimeout"/>: drops the kernel's cached entries for
    /// paths that no longer exist. Call it after changing the host in-process (writes through the mount
    /// do it themselves). Does nothing with the default zero timeout.
    /// </summary>
    /// <returns>How many entries were invalidated.</returns>
    public int Revalidate() => _operations.Revalidate();

    private void Loop()
    {
        try
        {
            if (_options.SingleThreaded)
            {
                _loopResult = LibFuse.FuseLoop(_fuse);
            }
            else
            {
                nint config = LibFuse.LoopConfigCreate();
                LibFuse.LoopConfigSetMaxThreads(config, (uint)Math.Max(1, _options.MaxThreads));
                _loopResult = LibFuse.FuseLoopMt(_fuse, config);
                LibFuse.LoopConfigDestroy(config);
            }
        }
        finally
        {
            _loopEnded.Set();
        }
    }

    /// <summary>Waits until the request loop has ended (after an unmount from anywhere).</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>Whether it ended in time.</returns>
    public bool WaitForExit(TimeSpan timeout) => _loopEnded.Wait(timeout);

    /// <summary>Unmounts (lazily, so a busy mount goes too), waits for the loop to end and frees libfuse's state.</summary>
    public void Dispose()
    {
        lock (_disposeLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        bool ended = true;
        if (_fuse != 0 && _loopThread.IsAlive)
        {
            _ = Detach(MountPoint);
            ended = _loopEnded.Wait(_options.StopTimeout);
        }

        // If the loop is still inside libfuse (a lazily detached mount still in use), its state must stay
        // allocated; the kernel ends the connection when the last user goes or the process exits.
        if (ended)
        {
            if (_fuse != 0)
            {
                LibFuse.FuseUnmount(_fuse);
                LibFuse.FuseDestroy(_fuse);
                _fuse = 0;
            }

            if (_ops != null)
            {
                NativeMemory.Free(_ops);
                _ops = null;
            }

            if (_self.IsAllocated)
            {
                _self.Free();
            }
        }
    }

    /// <summary>Detaches a mount: <c>umount2(MNT_DETACH)</c>, falling back to <c>fusermount3 -u -z</c> without root.</summary>
    /// <param name="path">The mount point.</param>
    /// <returns>Whether something was unmounted.</returns>
    internal static bool Detach(string path)
    {
        if (Libc.Umount2(path, Libc.MNT_DETACH) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        if (errno is Libc.EINVAL or Libc.ENOENT)
        {
            return false;
        }

        try
        {
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("fusermount3", ["-u", "-z", path])
            {
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (p is null)
            {
                return false;
            }

            _ = p.WaitForExit(10_000);
            return p.HasExited && p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>The request loop's return value once it has ended (0 after a normal unmount).</summary>
    public int LoopResult => _loopResult;
}
