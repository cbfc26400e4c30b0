using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using MdevCore.Cli.Native;

namespace MdevCore.Cli.Commands;

/// <summary>
/// Starts one child of <c>mdevsim run</c> (the namespace from the supervisor, the command from the server),
/// passes signals on as the process tree needs, and returns the child's exit code.
/// </summary>
/// <remarks>
/// <para>
/// The tree is supervisor → <c>setpriv --pdeathsig KILL unshare --fork --kill-child</c> → server (PID 1 of
/// the namespace) → the command. Each link goes when the one above it goes: the parent-death signal kills
/// unshare when the supervisor dies (SIGKILL included), unshare's <c>--kill-child</c> then kills the server,
/// and the end of the PID namespace's init kills the command and everything it started.
/// </para>
/// <para>
/// SIGTERM and SIGHUP sent to the supervisor go to the server, which passes them to the command and then
/// cleans up. SIGINT goes straight to the command, and only when the supervisor is not the foreground of a
/// terminal: a Ctrl+C from the terminal already reached every process of the foreground group, the command
/// included, and must not arrive twice. The server ignores SIGINT for the same reason.
/// </para>
/// </remarks>
internal static class RunSupervisor
{
    private const int SIGHUP = 1;
    private const int SIGINT = 2;
    private const int SIGTERM = 15;

    /// <summary>The supervisor's part: starts the namespace's unshare with the parent-death signal set.</summary>
    /// <param name="unshareArgs">unshare's arguments.</param>
    public static int Namespace(IEnumerable<string> unshareArgs) =>
        Run("setpriv", ["--pdeathsig", "KILL", "--", "unshare", .. unshareArgs], isSupervisor: true);

    /// <summary>The server's part: starts the command's unshare.</summary>
    /// <param name="unshareArgs">unshare's arguments.</param>
    public static int Command(IEnumerable<string> unshareArgs) => Run("unshare", unshareArgs, isSupervisor: false);

    private static int Run(string file, IEnumerable<string> args, bool isSupervisor)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process child;
        try
        {
            child = Process.Start(start) ?? throw new Win32Exception("no process");
        }
        catch (Win32Exception e)
        {
            Console.Error.WriteLine($"mdevsim run: cannot start '{file}': {e.Message}");
            return 127;
        }

        using (child)
        {
            int pid = child.Id;
            // unshare --fork blocks the signals in its own process, so the supervisor signals its child, the server.
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx =>
            {
                ctx.Cancel = true;
                if (isSupervisor && !IsForegroundOfTerminal())
                {
                    foreach (int server in ChildrenOf(pid))
                    {
                        Signal(ChildrenOf(server), SIGINT);
                    }
                }
            });
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => Forward(ctx, pid, SIGTERM, isSupervisor));
            using PosixSignalRegistration sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, ctx => Forward(ctx, pid, SIGHUP, isSupervisor));
            child.WaitForExit();
            return child.ExitCode;
        }
    }

    private static void Forward(PosixSignalContext ctx, int pid, int signal, bool toChildren)
    {
        ctx.Cancel = true;
        Signal(toChildren ? ChildrenOf(pid) : [pid], signal);
    }

    private static void Signal(IEnumerable<int> pids, int signal)
    {
        foreach (int pid in pids)
        {
            _ = Libc.Kill(pid, signal);
        }
    }

    private static List<int> ChildrenOf(int pid)
    {
        try
        {
            return [.. File.ReadAllText($"/proc/{pid}/task/{pid}/children")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture))];
        }
        catch (IOException)
        {
            return []; // Already gone.
        }
    }

    /// <summary>Whether this process belongs to the foreground process group of its controlling terminal.</summary>
    private static bool IsForegroundOfTerminal()
    {
        int tty = Libc.Open("/dev/tty", Libc.O_RDONLY | Libc.O_NOCTTY | Libc.O_CLOEXEC);
        if (tty < 0)
        {
            return false;
        }

        try
        {
            int foreground = Libc.TcGetPgrp(tty);
            return foreground > 0 && foreground == Libc.GetPgrp();
        }
        finally
        {
            _ = Libc.Close(tty);
        }
    }
}
