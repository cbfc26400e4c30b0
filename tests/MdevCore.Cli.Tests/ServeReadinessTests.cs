using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Cli.Tests;

/// <summary><c>mdevsim serve</c> says when the mount answers: a stdout line, <c>--ready-fd</c>, systemd's <c>NOTIFY_SOCKET</c>.</summary>
public sealed class ServeReadinessTests : IDisposable
{
    private const string Available = "/class/mdev_bus/mtty/mdev_supported_types/mtty-1/available_instances";
    private readonly string _dir;

    public ServeReadinessTests()
    {
        FuseTestMount.RequireFuse();
        _dir = Directory.CreateTempSubdirectory("mdevsim-test-serve-").FullName;
    }

    public void Dispose()
    {
        if (IsMounted())
        {
            _ = ProcessRunner.Run("umount", ["-l", _dir]);
        }

        Directory.Delete(_dir, recursive: true);
        // The scripts' FIFO, pid file and socket, when a failed test did not get to remove them.
        foreach (string leftover in (string[])[_dir + ".fifo", _dir + ".pid", _dir + ".notify"])
        {
            File.Delete(leftover);
        }
    }

    [Fact]
    public void Serve_prints_a_ready_line_on_stdout_once_the_mount_answers()
    {
        // No polling: the script reads the line, then uses the mount at once.
        ProcessResult r = ProcessRunner.Bash($"""
            exec 3< <({Mdevsim.Executable} serve --mount {_dir} 2>/dev/null & echo $! > {_dir}.pid; wait)
            read -r line <&3; echo "$line"
            grep -c ' {_dir} fuse.mdevsim ' /proc/mounts
            cat {_dir}{Available}
            kill -TERM $(cat {_dir}.pid); cat <&3; rm {_dir}.pid
            """);

        r.Should().Be(new ProcessResult(0, $"ready {_dir}\n1\n24\n", ""));
    }

    [Fact]
    public void Serve_with_ready_fd_writes_a_line_there_and_closes_it()
    {
        string fifo = _dir + ".fifo";
        ProcessResult r = ProcessRunner.Bash($"""
            mkfifo {fifo}
            {Mdevsim.Executable} serve --mount {_dir} --ready-fd 3 3>{fifo} >/dev/null 2>&1 & pid=$!
            ( read -r line; echo "$line"; grep -c ' {_dir} fuse.mdevsim ' /proc/mounts; cat {_dir}{Available}; cat; echo "closed" ) < {fifo}
            kill -TERM $pid; wait $pid; echo "rc=$?"; rm {fifo}
            """);

        // The inner cat returns only once serve has closed the descriptor (end of file on the FIFO).
        r.Should().Be(new ProcessResult(0, $"ready {_dir}\n1\n24\nclosed\nrc=0\n", ""));
    }

    [Fact]
    public void Serve_with_a_closed_ready_fd_refuses_before_mounting()
    {
        ProcessResult r = Mdevsim.Run("serve", "--mount", _dir, "--ready-fd", "9");

        r.Should().Be(new ProcessResult(1, "", "mdevsim serve: --ready-fd 9: not an inherited descriptor open for writing: start serve with it open, e.g. 9>FILE or 9>&1\n"));
        IsMounted().Should().BeFalse();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Serve_sends_READY_1_to_NOTIFY_SOCKET_once_mounted_and_STOPPING_1_before_unmounting(bool abstractSocket)
    {
        string name = abstractSocket ? $"@mdevsim-test-{Guid.NewGuid():N}" : _dir + ".notify";
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { ReceiveTimeout = 60_000 };
        socket.Bind(new UnixDomainSocketEndPoint(abstractSocket ? "\0" + name[1..] : name));
        try
        {
            using Process serve = Start(new Dictionary<string, string> { ["NOTIFY_SOCKET"] = name });

            string ready = Receive(socket);
            bool mountedWhenReady = IsMounted();
            string value = File.ReadAllText(_dir + Available);
            ProcessRunner.Run("kill", ["-TERM", serve.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            string stopping = Receive(socket);
            serve.WaitForExit(30_000).Should().BeTrue();

            ready.Should().Be($"READY=1\nSTATUS=serving (built-in default topology) on {_dir}\nMAINPID={serve.Id}\n");
            mountedWhenReady.Should().BeTrue();
            value.Should().Be("24\n");
            stopping.Should().Be("STOPPING=1\n");
            serve.ExitCode.Should().Be(0);
        }
        finally
        {
            if (!abstractSocket)
            {
                File.Delete(name);
            }
        }
    }

    private Process Start(Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Mdevsim.Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["serve", "--mount", _dir])
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("cannot start mdevsim serve");
    }

    private static string Receive(Socket socket)
    {
        byte[] buffer = new byte[4096];
        int n = socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    private bool IsMounted() => File.ReadAllLines("/proc/self/mountinfo").Any(l => l.Split(' ')[4] == _dir);
}
