using System.Runtime.InteropServices;

namespace MdevCore.Libvirt.Tests.Udev;

/// <summary>One message a listener received, with the sender's credentials as the kernel reports them.</summary>
internal sealed record NetlinkMessage(byte[] Data, uint SenderUid, uint Groups);

/// <summary>A udev-group netlink listener of the calling thread's network namespace, as libudev opens one.</summary>
internal sealed unsafe partial class NetlinkListener : IDisposable
{
    private const int AF_NETLINK = 16;
    private const int SOCK_RAW = 3;
    private const int SOCK_CLOEXEC = 0x80000;
    private const int NETLINK_KOBJECT_UEVENT = 15;
    private const int SOL_SOCKET = 1;
    private const int SO_RCVBUF = 8;
    private const int SO_PASSCRED = 16;
    private const int SCM_CREDENTIALS = 2;
    private const int MSG_DONTWAIT = 0x40;
    private const int ENOBUFS = 105;
    private readonly int _fd;

    public NetlinkListener(uint groups = 2, int receiveBuffer = 0)
    {
        _fd = Socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
        Check(_fd, "socket");
        int one = 1;
        Check(SetSockOpt(_fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(int)), "SO_PASSCRED");
        if (receiveBuffer > 0)
        {
            Check(SetSockOpt(_fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof(int)), "SO_RCVBUF");
        }

        var address = new SockaddrNl { Family = AF_NETLINK, Groups = groups };
        Check(Bind(_fd, &address, (uint)sizeof(SockaddrNl)), "bind");
    }

    /// <summary>The next message, waiting at most <paramref name="waitMilliseconds"/>; null when none came.</summary>
    public NetlinkMessage? Receive(int waitMilliseconds)
    {
        var poll = new PollFd { Fd = _fd, Events = 1 };
        if (Poll(&poll, 1, waitMilliseconds) <= 0)
        {
            return null;
        }

        return TryReceive(out bool _);
    }

    /// <summary>Every message already queued (a report of overrun, ENOBUFS, is skipped and flagged).</summary>
    public List<NetlinkMessage> Drain(out bool overrun)
    {
        overrun = false;
        var messages = new List<NetlinkMessage>();
        while (true)
        {
            NetlinkMessage? m = TryReceive(out bool wasOverrun);
            overrun |= wasOverrun;
            if (m is null && !wasOverrun)
            {
                return messages;
            }

            if (m is not null)
            {
                messages.Add(m);
            }
        }
    }

    private NetlinkMessage? TryReceive(out bool overrun)
    {
        overrun = false;
        byte[] buffer = new byte[16384];
        byte* control = stackalloc byte[64];
        var from = new SockaddrNl();
        fixed (byte* data = buffer)
        {
            var iov = new IoVec { Base = data, Length = (nuint)buffer.Length };
            var header = new MsgHdr { Name = &from, NameLength = (uint)sizeof(SockaddrNl), Iov = &iov, IovLength = 1, Control = control, ControlLength = 64 };
            nint n = RecvMsg(_fd, &header, MSG_DONTWAIT);
            if (n < 0)
            {
                overrun = Marshal.GetLastPInvokeError() == ENOBUFS;
                return null;
            }

            uint uid = uint.MaxValue;
            // struct cmsghdr { size_t len; int level; int type; } then struct ucred { pid; uid; gid; }.
            if (header.ControlLength >= 28 && *(int*)(control + 8) == SOL_SOCKET && *(int*)(control + 12) == SCM_CREDENTIALS)
            {
                uid = *(uint*)(control + 20);
            }

            return new NetlinkMessage(buffer[..(int)n], uid, from.Groups);
        }
    }

    public void Dispose() => _ = Close(_fd);

    private static void Check(int result, string what)
    {
        if (result < 0)
        {
            throw new IOException(what + ": " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
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

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static partial int Bind(int fd, SockaddrNl* address, uint length);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetSockOpt(int fd, int level, int name, void* value, uint length);

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    private static partial nint RecvMsg(int fd, MsgHdr* message, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollFd* fds, nuint count, int timeout);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
