using System.Runtime.InteropServices;

namespace MdevCore.Fuse.Interop;

/// <summary>The few libc calls the FUSE server needs.</summary>
internal static partial class Libc
{
    public const int MNT_DETACH = 2;
    public const int EINVAL = 22;
    public const int ENOENT = 2;

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Umount2(string target, int flags);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEuid();
}
