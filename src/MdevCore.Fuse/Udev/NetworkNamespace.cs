using System.Globalization;
using System.Runtime.InteropServices;

namespace MdevCore.Fuse.Udev;

/// <summary>Which network namespace a thread is in, by the kernel's <c>net:[inode]</c> name.</summary>
/// <remarks>Thread safety: stateless.</remarks>
internal static partial class NetworkNamespace
{
    /// <summary>The calling thread's directory in procfs (<c>/proc/self/task/TID</c>); a namespace is per thread.</summary>
    public static string CallingThreadsProcDirectory() =>
        string.Create(CultureInfo.InvariantCulture, $"/proc/self/task/{GetTid()}");

    /// <summary>The calling thread's network namespace, or <see langword="null"/> without procfs.</summary>
    public static string? OfCallingThread() => Name(CallingThreadsProcDirectory() + "/ns/net");

    /// <summary>The <c>net:[inode]</c> name of a namespace given by procfs path (<c>/proc/1/ns/net</c>) or by name; null when unreadable.</summary>
    /// <param name="pathOrName">A path to a namespace file, or a name as readlink shows it.</param>
    public static string? Resolve(string pathOrName) =>
        pathOrName.StartsWith("net:[", StringComparison.Ordinal) ? pathOrName : Name(pathOrName);

    private static unsafe string? Name(string link)
    {
        byte* buffer = stackalloc byte[64];
        nint n = ReadLink(link, buffer, 64);
        return n <= 0 ? null : System.Text.Encoding.ASCII.GetString(buffer, (int)n);
    }

    [LibraryImport("libc", EntryPoint = "readlink", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial nint ReadLink(string path, byte* buffer, nuint size);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();
}
