using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using MdevCore.Fuse.Interop;
using MdevCore.Fuse.Ownership;

namespace MdevCore.Fuse;

/// <summary>The native entry points libfuse calls; each finds its mount's <see cref="SysfsFuseOperations"/> and translates.</summary>
/// <remarks>
/// No exception ever leaves one of these methods (that would kill the process): every body catches all
/// and answers <c>-EIO</c>. The per-mount state comes from <c>fuse_get_context()-&gt;private_data</c>, a
/// <see cref="GCHandle"/> given to <c>fuse_new</c>, so nothing here is static state.
/// Thread safety: called concurrently on libfuse's worker threads.
/// </remarks>
internal static unsafe class FuseCallbacks
{
    private const int EIO = 5;
    private const int ENAMETOOLONG = 36;

    /// <summary>Fills a zeroed <c>struct fuse_operations</c> with the supported callbacks.</summary>
    public static void Fill(nint* ops)
    {
        ops[LibFuse.OpGetAttr] = (nint)(delegate* unmanaged<byte*, byte*, FuseFileInfo*, int>)&GetAttr;
        ops[LibFuse.OpReadLink] = (nint)(delegate* unmanaged<byte*, byte*, nuint, int>)&ReadLink;
        ops[LibFuse.OpMknod] = (nint)(delegate* unmanaged<byte*, uint, ulong, int>)&Mknod;
        ops[LibFuse.OpMkdir] = (nint)(delegate* unmanaged<byte*, uint, int>)&Mkdir;
        ops[LibFuse.OpUnlink] = (nint)(delegate* unmanaged<byte*, int>)&Unlink;
        ops[LibFuse.OpRmdir] = (nint)(delegate* unmanaged<byte*, int>)&Unlink;
        ops[LibFuse.OpSymlink] = (nint)(delegate* unmanaged<byte*, byte*, int>)&Symlink;
        ops[LibFuse.OpRename] = (nint)(delegate* unmanaged<byte*, byte*, uint, int>)&Rename;
        ops[LibFuse.OpLink] = (nint)(delegate* unmanaged<byte*, byte*, int>)&Symlink;
        ops[LibFuse.OpChmod] = (nint)(delegate* unmanaged<byte*, uint, FuseFileInfo*, int>)&Chmod;
        ops[LibFuse.OpChown] = (nint)(delegate* unmanaged<byte*, uint, uint, FuseFileInfo*, int>)&Chown;
        ops[LibFuse.OpTruncate] = (nint)(delegate* unmanaged<byte*, long, FuseFileInfo*, int>)&Truncate;
        ops[LibFuse.OpOpen] = (nint)(delegate* unmanaged<byte*, FuseFileInfo*, int>)&Open;
        ops[LibFuse.OpRead] = (nint)(delegate* unmanaged<byte*, byte*, nuint, long, FuseFileInfo*, int>)&Read;
        ops[LibFuse.OpWrite] = (nint)(delegate* unmanaged<byte*, byte*, nuint, long, FuseFileInfo*, int>)&Write;
        ops[LibFuse.OpRelease] = (nint)(delegate* unmanaged<byte*, FuseFileInfo*, int>)&Release;
        ops[LibFuse.OpReadDir] = (nint)(delegate* unmanaged<byte*, void*, delegate* unmanaged<void*, byte*, void*, long, int, int>, long, FuseFileInfo*, int, int>)&ReadDir;
        ops[LibFuse.OpCreate] = (nint)(delegate* unmanaged<byte*, uint, FuseFileInfo*, int>)&Create;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static SysfsFuseOperations Operations() =>
        (SysfsFuseOperations)GCHandle.FromIntPtr(LibFuse.GetContext()->PrivateData).Target!;

    /// <summary>Who sent the current request, when the mount checks callers; <see langword="null"/> otherwise.</summary>
    private static FuseCaller? CallerOf(SysfsFuseOperations ops)
    {
        if (!ops.EnforcesOwnership)
        {
            return null;
        }

        FuseContext* context = LibFuse.GetContext();
        return new FuseCaller(context->Uid, context->Gid, context->Pid);
    }

    /// <summary>
    /// The supplementary groups of the process that sent the current request (libfuse reads the
    /// <c>Groups:</c> line of its <c>/proc/PID/task/PID/status</c>); empty when that cannot be read, for
    /// example when the caller has already exited or lives in a PID namespace the server cannot see.
    /// Must run on the thread serving the request.
    /// </summary>
    public static IReadOnlyCollection<uint> RequestGroups(FuseCaller caller)
    {
        const int First = 64;
        uint* small = stackalloc uint[First];
        int n = LibFuse.GetGroups(First, small);
        if (n <= 0)
        {
            return [];
        }

        if (n <= First)
        {
            return new ReadOnlySpan<uint>(small, n).ToArray();
        }

        uint[] all = new uint[n];
        fixed (uint* list = all)
        {
            int again = LibFuse.GetGroups(n, list);
            return again <= 0 ? [] : all[..Math.Min(again, n)];
        }
    }

    private static string PathOf(byte* path) => Marshal.PtrToStringUTF8((nint)path) ?? "/";

    [UnmanagedCallersOnly]
    private static int GetAttr(byte* path, byte* stat, FuseFileInfo* fi)
    {
        try
        {
            SysfsFuseOperations ops = Operations();
            int rc = ops.GetAttr(PathOf(path), out SysfsFuseOperations.EntryAttributes a);
            if (rc != 0)
            {
                return rc;
            }

            new Span<byte>(stat, StatLayout.Size).Clear();
            *(uint*)(stat + StatLayout.Uid) = KernfsOwnership.OwnerUid;
            *(uint*)(stat + StatLayout.Gid) = KernfsOwnership.OwnerGid;
            *(ulong*)(stat + StatLayout.Nlink) = a.LinkCount;
            *(uint*)(stat + StatLayout.Mode) = a.Mode;
            *(long*)(stat + StatLayout.FileSize) = a.Size;
            *(long*)(stat + StatLayout.BlockSize) = 4096;
            *(long*)(stat + StatLayout.Atime) = ops.MountTimeSeconds;
            *(long*)(stat + StatLayout.Mtime) = ops.MountTimeSeconds;
            *(long*)(stat + StatLayout.Ctime) = ops.MountTimeSeconds;
            return 0;
        }
        catch (Exception)
        {
            return -EIO;
        }
    }

    [UnmanagedCallersOnly]
    private static int ReadLink(byte* path, byte* buffer, nuint size)
    {
        try
        {
            int rc = Operations().ReadLink(PathOf(path), out string? target);
            if (rc != 0)
            {
                return rc;
            }

            // High-level readlink: a NUL-terminated buffer (truncated to fit), 0 on success.
            var destination = new Span<byte>(buffer, (int)Math.Min(size, int.MaxValue));
            if (destination.IsEmpty)
            {
                return -ENAMETOOLONG;
            }

            int n = Encoding.UTF8.GetBytes(target.AsSpan(0, Math.Min(target!.Length, destination.Length - 1)), destination);
            destination[Math.Min(n, destination.Length - 1)] = 0;
            return 0;
        }
        catch (Exception)
        {
            return -EIO;
        }
    }

    [UnmanagedCallersOnly]
    private static int ReadDir(byte* path, void* buffer, delegate* unmanaged<void*, byte*, void*, long, int, int> filler, long offset, FuseFileInfo* fi, int flags)
    {
        try
        {
            SysfsFuseOperations ops = Operations();
            int rc = ops.ReadDir(PathOf(path), out IReadOnlyList<string>? names, CallerOf(ops));
            if (rc != 0)
            {
                return rc;
            }

            byte* dot = stackalloc byte[] { (byte)'.', 0, 0 };
            _ = filler(buffer, dot, null, 0, 0);
            dot[1] = (byte)'.';
            _ = filler(buffer, dot, null, 0, 0);
            Span<byte> name = stackalloc byte[1024];
            foreach (string entry in names!)
            {
                int n = Encoding.UTF8.GetBytes(entry, name[..^1]);
                name[n] = 0;
                fixed (byte* p = name)
                {
                    if (filler(buffer, p, null, 0, 0) != 0)
                    {
                        break;
                    }
                }
            }

            return 0;
        }
        catch (Exception)
        {
            return -EIO;
        }
    }

    [UnmanagedCallersOnly]
    private static int Open(byte* path, FuseFileInfo* fi)
    {
        try
        {
            SysfsFuseOperations ops = Operations();
            int rc = ops.Open(PathOf(path), fi->Flags, out SysfsFuseOperations.OpenAttribute? handle, CallerOf(ops));
            if (rc != 0)
            {
                return rc;
            }

            // Every read reaches the server (sysfs values are live and st_size 4096 is only a hint).
            fi->Bits |= FuseFileInfo.DirectIo;
            fi->Fh = GCHandle.ToIntPtr(GCHandle.Alloc(handle));
            return 0;
        }
        catch (Exception)
        {
            return -EIO;
        }
    }

    [UnmanagedCallersOnly]
    private static int Read(byte* path, byte* buffer, nuint size, long offset, FuseFileInfo* fi)
    {
        try
        {
            var handle = (SysfsFuseOperations.OpenAttribute)GCHandle.FromIntPtr(fi->Fh).Target!;
            return Operations().Read(handle, new Span<byte>(buffer, (int)Math.Min(size, int.MaxValue)), offset);
        }
        catch (Exception)
        {
            return -EIO;
        }
    }

    [UnmanagedCallersOnly]
    private static int Write(byte* path, byte* buffer, nuint size, long offset, FuseFileInfo* fi)
    {
        try
        {
            var handle = (SysfsFuseOperations.OpenAttribute)GCHandle.FromIntPtr(fi->Fh).Target!;
            return Operations().Write(handle, new ReadOnlySpan<byte>(buffer, (int)Math.Min(size, int.MaxValue)), offset);
        }
        catch (Exception)
        {
            return -EIO;
        }
    }

    [UnmanagedCallersOnly]
    private static int Release(byte* path, FuseFileInfo* fi)
    {
        try
        {
            if (fi->Fh != 0)
            {
                GCHandle.FromIntPtr(fi->Fh).Free();
                fi->Fh = 0;
            }

            return 0;
        }
        catch (Exception)
        {
            return -EIO;
        }
    }

    [UnmanagedCallersOnly]
    private static int Truncate(byte* path, long size, FuseFileInfo* fi)
    {
        try
        {
            SysfsFuseOperations ops = Operations();
            return ops.Truncate(PathOf(path), CallerOf(ops));
        }
        catch (Exception)
        {
            return -EIO;
        }
    }

    [UnmanagedCallersOnly]
    private static int Create(byte* path, uint mode, FuseFileInfo* fi)
    {
        try
        {
            return Operations().Create();
        }
        catch (Exception)
        {
            return -EIO;
        }
    }

    [UnmanagedCallersOnly]
    private static int Mknod(byte* path, uint mode, ulong device) => NotPermitted();

    [UnmanagedCallersOnly]
    private static int Mkdir(byte* path, uint mode) => NotPermitted();

    [UnmanagedCallersOnly]
    private static int Unlink(byte* path) => NotPermitted();

    [UnmanagedCallersOnly]
    private static int Symlink(byte* from, byte* to) => NotPermitted();

    [UnmanagedCallersOnly]
    private static int Rename(byte* from, byte* to, uint flags) => NotPermitted();

    [UnmanagedCallersOnly]
    private static int Chmod(byte* path, uint mode, FuseFileInfo* fi) => NotPermitted();

    [UnmanagedCallersOnly]
    private static int Chown(byte* path, uint uid, uint gid, FuseFileInfo* fi) => NotPermitted();

    private static int NotPermitted()
    {
        try
        {
            return Operations().NotPermitted();
        }
        catch (Exception)
        {
            return -EIO;
        }
    }
}
