using System.Runtime.InteropServices;

namespace MdevCore.Fuse.Udev;

/// <summary>A <c>NETLINK_KOBJECT_UEVENT</c> socket that sends to multicast group 2, where udevd's messages go.</summary>
/// <remarks>
/// The socket belongs to the network namespace of the thread that opened it, for its whole life; sends
/// from any thread go there. A send to a multicast group also reaches the namespace's kernel socket as a
/// unicast, which refuses it (<c>ECONNREFUSED</c>) or ignores it: either way the broadcast has happened.
/// Thread safety: one sending thread.
/// </remarks>
internal sealed unsafe partial class NetlinkUeventSocket : IDisposable
{
    /// <summary>udev's multicast group (libudev's <c>MONITOR_GROUP_UDEV</c>; group 1 is the kernel's).</summary>
    public const uint UdevGroup = 2;

    private const int AF_NETLINK = 16;
    private const int SOCK_RAW = 3;
    private const int SOCK_CLOEXEC = 0x80000;
    private const int NETLINK_KOBJECT_UEVENT = 15;
    private const int SOL_SOCKET = 1;
    private const int SO_SNDBUF = 7;
    private const int ECONNREFUSED = 111;
    private const int EINTR = 4;

    private int _fd;

    private NetlinkUeventSocket(int fd) => _fd = fd;

    /// <summary>Opens a socket in the calling thread's network namespace.</summary>
    /// <returns>The socket.</returns>
    /// <exception cref="IOException">The socket could not be opened or bound.</exception>
    public static NetlinkUeventSocket Open()
    {
        int fd = Socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
        if (fd < 0)
        {
            throw new IOException("socket(AF_NETLINK, NETLINK_KOBJECT_UEVENT): " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
        }

        var address = new SockaddrNl { Family = AF_NETLINK };
        if (Bind(fd, &address, (uint)sizeof(SockaddrNl)) != 0)
        {
            string error = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
            _ = Close(fd);
            throw new IOException("bind(AF_NETLINK): " + error);
        }

        int size = 1 << 20;
        _ = SetSockOpt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(int));
        return new NetlinkUeventSocket(fd);
    }

    /// <summary>Broadcasts one message to <see cref="UdevGroup"/>.</summary>
    /// <param name="message">The message.</param>
    /// <returns>0, or the errno of a failed send.</returns>
    public int Broadcast(ReadOnlySpan<byte> message)
    {
        var destination = new SockaddrNl { Family = AF_NETLINK, Groups = UdevGroup };
        while (true)
        {
            nint sent;
            fixed (byte* data = message)
            {
                sent = SendTo(_fd, data, (nuint)message.Length, 0, &destination, (uint)sizeof(SockaddrNl));
            }

            if (sent >= 0)
            {
                return 0;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == EINTR)
            {
                continue;
            }

            return errno == ECONNREFUSED ? 0 : errno;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            _ = Close(fd);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SockaddrNl
    {
        public ushort Family;
        public ushort Pad;
        public uint Pid;
        public uint Groups;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static partial int Bind(int fd, SockaddrNl* address, uint length);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetSockOpt(int fd, int level, int name, void* value, uint length);

    [LibraryImport("libc", EntryPoint = "sendto", SetLastError = true)]
    private static partial nint SendTo(int fd, byte* buffer, nuint length, int flags, SockaddrNl* address, uint addressLength);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
