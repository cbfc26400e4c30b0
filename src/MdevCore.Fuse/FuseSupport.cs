using System.Runtime.InteropServices;

namespace MdevCore.Fuse;

/// <summary>Checks that FUSE can be used on this machine, with an actionable reason when it cannot.</summary>
/// <remarks>Thread safety: stateless.</remarks>
public static class FuseSupport
{
    /// <summary>The FUSE device the kernel module provides.</summary>
    public const string DevicePath = "/dev/fuse";

    /// <summary>Tells why a mount could not work here, or <see langword="null"/> when it can.</summary>
    /// <returns>A sentence naming what is missing and how to get it, or <see langword="null"/>.</returns>
    public static string? GetUnavailableReason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "FUSE serving needs Linux.";
        }

        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return $"FUSE serving supports x86-64 only (struct layouts); this process is {RuntimeInformation.ProcessArchitecture}.";
        }

        if (!File.Exists(DevicePath))
        {
            return $"{DevicePath} does not exist: load the fuse kernel module (modprobe fuse) or, in a container, pass the device through (--device /dev/fuse).";
        }

        if (!NativeLibrary.TryLoad(Interop.LibFuse.Library, out nint handle))
        {
            return $"{Interop.LibFuse.Library} cannot be loaded: install libfuse 3 (Debian/Ubuntu: apt-get install fuse3).";
        }

        NativeLibrary.Free(handle);
        return null;
    }

    /// <summary>Whether the process runs with effective user id 0.</summary>
    /// <returns><see langword="true"/> for root.</returns>
    public static bool IsRoot() => OperatingSystem.IsLinux() && Interop.Libc.GetEuid() == 0;
}
