using System.Runtime.InteropServices;
using MdevCore.Cli.Native;

namespace MdevCore.Cli.Commands;

/// <summary>
/// The server's scratch directories for <c>mdevsim run</c> (the FUSE mount point, a fresh
/// <c>/etc/mdevctl.d</c>, udev's staging directory), on a tmpfs mounted over the temporary directory in the
/// server's private mount namespace only.
/// </summary>
/// <remarks>
/// Nothing is created on the machine's file systems, so nothing can be left behind however the server
/// ends, SIGKILL included: the tmpfs vanishes with the namespace. The command's namespace, a copy of
/// the server's, unmounts the tmpfs again once its binds are made, so the
/// command sees the real temporary directory.
/// </remarks>
internal sealed class RunStaging : IDisposable
{
    private const ulong MS_NOSUID = 0x2;
    private const ulong MS_NODEV = 0x4;

    private RunStaging(string root) => Root = root;

    /// <summary>The tmpfs's mount point: the temporary directory, seen as empty by the server from now on.</summary>
    public string Root { get; }

    /// <summary>
    /// Mounts the tmpfs over <see cref="Path.GetTempPath"/>; everything under that directory the server
    /// still needs (the topology, a <c>--uevents</c> file) must already be open or read.
    /// </summary>
    /// <exception cref="IOException">The mount failed.</exception>
    public static RunStaging Mount()
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetTempPath());
        nint data = Marshal.StringToCoTaskMemUTF8("mode=0700");
        try
        {
            if (Libc.Mount("mdevsim-run", root, "tmpfs", MS_NOSUID | MS_NODEV, data) != 0)
            {
                throw new IOException($"cannot mount a private tmpfs over {root}: {Libc.LastError()}");
            }
        }
        finally
        {
            Marshal.FreeCoTaskMem(data);
        }

        return new RunStaging(root);
    }

    /// <summary>Creates the directory <paramref name="name"/> on the tmpfs.</summary>
    /// <returns>Its full path.</returns>
    public string NewDirectory(string name) => Directory.CreateDirectory(Path.Combine(Root, name)).FullName;

    /// <summary>Unmounts the tmpfs (lazily: the FUSE mount on it may still be in use).</summary>
    public void Dispose() => _ = Libc.Umount2(Root, Libc.MNT_DETACH);
}
