using System.Globalization;
using System.Net.Sockets;
using System.Text;
using MdevCore.Cli.Native;

namespace MdevCore.Cli.Commands;

/// <summary>
/// How <c>mdevsim serve</c> tells its caller that the mount answers: a line on standard output, a line on
/// <c>--ready-fd N</c> (then closed), and <c>READY=1</c> to systemd's <c>NOTIFY_SOCKET</c> when it is set.
/// </summary>
/// <remarks>
/// The notification protocol is systemd's <c>sd_notify</c>: one datagram of newline-separated assignments
/// to the unix socket named by <c>NOTIFY_SOCKET</c>, an abstract socket when the name starts with <c>@</c>.
/// </remarks>
internal sealed class ServeReadiness
{
    private const string NotifySocketVariable = "NOTIFY_SOCKET";
    private readonly int? _readyFd;
    private readonly string? _notifySocket;

    private ServeReadiness(int? readyFd, string? notifySocket)
    {
        _readyFd = readyFd;
        _notifySocket = notifySocket;
    }

    /// <summary>Checks <c>--ready-fd</c> before anything is mounted.</summary>
    /// <param name="readyFd">The descriptor, or <see langword="null"/>.</param>
    /// <param name="problem">Why it cannot be used.</param>
    /// <returns>The readiness reporter, or <see langword="null"/> with <paramref name="problem"/> set.</returns>
    public static ServeReadiness? Create(int? readyFd, out string? problem)
    {
        problem = null;
        // The descriptor must have come from the caller: open for writing and inherited (not close-on-exec, as
        // every descriptor the runtime opens for itself is), so that a wrong number never hits one of those.
        if (readyFd is int fd && !IsInheritedForWriting(fd))
        {
            problem = $"--ready-fd {fd}: not an inherited descriptor open for writing: start serve with it open, e.g. {fd}>FILE or {fd}>&1";
            return null;
        }

        // From now on only this process holds it: a child (fusermount3 watching the mount) must not keep
        // the caller's reader waiting for end of file.
        if (readyFd is int own)
        {
            _ = Libc.Fcntl(own, Libc.F_SETFD, Libc.FD_CLOEXEC);
        }

        string? socket = Environment.GetEnvironmentVariable(NotifySocketVariable);
        return new ServeReadiness(readyFd, string.IsNullOrEmpty(socket) ? null : socket);
    }

    private static bool IsInheritedForWriting(int fd)
    {
        if (fd < 0)
        {
            return false;
        }

        int descriptorFlags = Libc.Fcntl(fd, Libc.F_GETFD);
        int statusFlags = Libc.Fcntl(fd, Libc.F_GETFL);
        return descriptorFlags >= 0 && (descriptorFlags & Libc.FD_CLOEXEC) == 0
            && statusFlags >= 0 && (statusFlags & Libc.O_ACCMODE) is Libc.O_WRONLY or Libc.O_RDWR;
    }

    /// <summary>Says that <paramref name="mountPoint"/> is mounted and served, on every channel the caller set up.</summary>
    /// <param name="mountPoint">The live mount point.</param>
    /// <param name="source">The topology served, for systemd's status line.</param>
    /// <param name="stderr">Where a failed notification is reported (serving goes on).</param>
    public void Ready(string mountPoint, string source, TextWriter stderr)
    {
        string line = $"ready {mountPoint}";
        Console.Out.WriteLine(line);
        Console.Out.Flush();
        if (_readyFd is int fd)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(line + "\n");
            if (Libc.Write(fd, bytes) != bytes.Length)
            {
                stderr.WriteLine($"mdevsim serve: note: --ready-fd {fd}: write: {Libc.LastError()}");
            }

            _ = Libc.Close(fd);
        }

        Notify($"READY=1\nSTATUS=serving {source} on {mountPoint}\nMAINPID={Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}\n", stderr);
    }

    /// <summary>Tells systemd that the service is stopping (before unmounting).</summary>
    /// <param name="stderr">Where a failed notification is reported.</param>
    public void Stopping(TextWriter stderr) => Notify("STOPPING=1\n", stderr);

    private void Notify(string message, TextWriter stderr)
    {
        if (_notifySocket is null)
        {
            return;
        }

        string address = _notifySocket[0] == '@' ? "\0" + _notifySocket[1..] : _notifySocket;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            _ = socket.SendTo(Encoding.UTF8.GetBytes(message), new UnixDomainSocketEndPoint(address));
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            stderr.WriteLine($"mdevsim serve: note: {NotifySocketVariable}={_notifySocket}: sendto: {e.Message}");
        }
    }
}
