using System.Runtime.InteropServices;

namespace MdevCore.Cli.Native;

/// <summary>The libc calls the command needs: mounts, exec, signals, affinity and raw file I/O for the benchmark.</summary>
internal static unsafe partial class Libc
{
    public const ulong MS_BIND = 0x1000;
    public const ulong MS_REC = 0x4000;
    public const int MNT_DETACH = 2;
    public const int O_RDONLY = 0;
    public const int O_CLOEXEC = 0x80000;
    public const int O_NOCTTY = 0x100;
    public const int F_GETFD = 1;
    public const int F_GETFL = 3;
    public const int F_SETFD = 2;
    public const int FD_CLOEXEC = 1;
    public const int O_ACCMODE = 3;
    public const int O_WRONLY = 1;
    public const int O_RDWR = 2;

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mount(string source, string target, string? fsType, ulong flags, nint data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Umount2(string target, int flags);

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Execv(string path, nint* argv);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "tcgetpgrp", SetLastError = true)]
    public static partial int TcGetPgrp(int fd);

    [LibraryImport("libc", EntryPoint = "getpgrp")]
    public static partial int GetPgrp();

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    public static partial int SchedSetAffinity(int pid, nuint size, ulong* mask);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    public static partial int Open(byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, byte* buffer, nuint count);

    public static nint Write(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            return Write(fd, p, (nuint)data.Length);
        }
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    public static string LastError() => Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());

    /// <summary>Replaces this process with <paramref name="argv"/>[0] (found on PATH if it has no slash); returns only on failure.</summary>
    public static string Exec(IReadOnlyList<string> argv)
    {
        string file = argv[0];
        if (!file.Contains('/', StringComparison.Ordinal))
        {
            file = FindOnPath(file) ?? file;
        }

        nint* array = stackalloc nint[argv.Count + 1];
        for (int i = 0; i < argv.Count; i++)
        {
            array[i] = Marshal.StringToCoTaskMemUTF8(argv[i]);
        }

        array[argv.Count] = 0;
        _ = Execv(file, array);
        string error = LastError();
        for (int i = 0; i < argv.Count; i++)
        {
            Marshal.FreeCoTaskMem(array[i]);
        }

        return error;
    }

    public static string? FindOnPath(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Pins every thread of this process (and so every thread they create later) to one CPU.</summary>
    public static bool PinProcess(int cpu)
    {
        ulong mask = 1UL << cpu;
        bool ok = true;
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (int.TryParse(Path.GetFileName(task), out int tid) && SchedSetAffinity(tid, sizeof(ulong), &mask) != 0)
            {
                ok = false;
            }
        }

        return ok;
    }
}
