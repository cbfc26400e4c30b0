using System.Runtime.InteropServices;

namespace MdevCore.Fuse.Interop;

/// <summary>The parts of libfuse 3's high-level API that a server needs (x86-64 layouts, libfuse 3.12 or newer).</summary>
/// <remarks>
/// Versioned symbols are bound by their explicit names (<c>fuse_new_31</c>, <c>fuse_loop_mt_312</c>) so that
/// the binding does not depend on which version the installed build made the default. The runtime
/// package's <c>libfuse3.so.3</c> is loaded, not the development symlink <c>libfuse3.so</c>.
/// </remarks>
internal static unsafe partial class LibFuse
{
    public const string Library = "libfuse3.so.3";

    /// <summary>Size of <c>struct fuse_operations</c> in libfuse 3.14: 42 function pointers.</summary>
    public const int OperationsCount = 42;

    // Slots of struct fuse_operations (libfuse 3.14 include/fuse.h).
    public const int OpGetAttr = 0;
    public const int OpReadLink = 1;
    public const int OpMknod = 2;
    public const int OpMkdir = 3;
    public const int OpUnlink = 4;
    public const int OpRmdir = 5;
    public const int OpSymlink = 6;
    public const int OpRename = 7;
    public const int OpLink = 8;
    public const int OpChmod = 9;
    public const int OpChown = 10;
    public const int OpTruncate = 11;
    public const int OpOpen = 12;
    public const int OpRead = 13;
    public const int OpWrite = 14;
    public const int OpRelease = 17;
    public const int OpReadDir = 24;
    public const int OpCreate = 30;

    [LibraryImport(Library, EntryPoint = "fuse_new_31")]
    public static partial nint FuseNew(FuseArgs* args, nint* operations, nuint operationsSize, nint userData);

    [LibraryImport(Library, EntryPoint = "fuse_mount", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int FuseMount(nint fuse, string mountPoint);

    [LibraryImport(Library, EntryPoint = "fuse_unmount")]
    public static partial void FuseUnmount(nint fuse);

    [LibraryImport(Library, EntryPoint = "fuse_destroy")]
    public static partial void FuseDestroy(nint fuse);

    [LibraryImport(Library, EntryPoint = "fuse_exit")]
    public static partial void FuseExit(nint fuse);

    [LibraryImport(Library, EntryPoint = "fuse_loop")]
    public static partial int FuseLoop(nint fuse);

    [LibraryImport(Library, EntryPoint = "fuse_loop_mt_312")]
    public static partial int FuseLoopMt(nint fuse, nint config);

    [LibraryImport(Library, EntryPoint = "fuse_loop_cfg_create")]
    public static partial nint LoopConfigCreate();

    [LibraryImport(Library, EntryPoint = "fuse_loop_cfg_destroy")]
    public static partial void LoopConfigDestroy(nint config);

    [LibraryImport(Library, EntryPoint = "fuse_loop_cfg_set_max_threads")]
    public static partial void LoopConfigSetMaxThreads(nint config, uint value);

    [LibraryImport(Library, EntryPoint = "fuse_loop_cfg_set_idle_threads")]
    public static partial void LoopConfigSetIdleThreads(nint config, uint value);

    [LibraryImport(Library, EntryPoint = "fuse_get_context")]
    public static partial FuseContext* GetContext();

    [LibraryImport(Library, EntryPoint = "fuse_getgroups")]
    public static partial int GetGroups(int size, uint* list);

    [LibraryImport(Library, EntryPoint = "fuse_invalidate_path", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int InvalidatePath(nint fuse, string path);

    [LibraryImport(Library, EntryPoint = "fuse_opt_free_args")]
    public static partial void FreeArgs(FuseArgs* args);
}

/// <summary><c>struct fuse_args</c> (24 bytes on x86-64).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FuseArgs
{
    public int Argc;
    public byte** Argv;
    public int Allocated;
}

/// <summary><c>struct fuse_context</c>: the caller's uid, gid and pid, and <c>private_data</c> (offset 24).</summary>
[StructLayout(LayoutKind.Explicit, Size = 40)]
internal struct FuseContext
{
    [FieldOffset(0)]
    public nint Fuse;

    [FieldOffset(8)]
    public uint Uid;

    [FieldOffset(12)]
    public uint Gid;

    [FieldOffset(16)]
    public int Pid;

    [FieldOffset(24)]
    public nint PrivateData;
}

/// <summary><c>struct fuse_file_info</c> (40 bytes): open flags, the bit-field word, the file handle.</summary>
[StructLayout(LayoutKind.Explicit, Size = 40)]
internal struct FuseFileInfo
{
    /// <summary>Bit of <c>direct_io</c> in the bit-field word.</summary>
    public const uint DirectIo = 1u << 1;

    /// <summary>Bit of <c>nonseekable</c> in the bit-field word.</summary>
    public const uint NonSeekable = 1u << 4;

    [FieldOffset(0)]
    public int Flags;

    [FieldOffset(4)]
    public uint Bits;

    [FieldOffset(16)]
    public nint Fh;
}

/// <summary>Offsets into the x86-64 <c>struct stat</c> (144 bytes).</summary>
internal static class StatLayout
{
    public const int Size = 144;
    public const int Nlink = 16;
    public const int Mode = 24;
    public const int Uid = 28;
    public const int Gid = 32;
    public const int FileSize = 48;
    public const int BlockSize = 56;
    public const int Atime = 72;
    public const int Mtime = 88;
    public const int Ctime = 104;
}
