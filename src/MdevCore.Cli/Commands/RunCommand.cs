using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using MdevCore.Cli.Native;
using MdevCore.Topology;
using MdevCore.Fuse;

namespace MdevCore.Cli.Commands;

/// <summary>
/// <c>mdevsim run</c>: runs a command in a private mount namespace where <c>/sys</c> is the simulated host.
/// </summary>
/// <remarks>
/// A mount namespace entered by one thread of a multi-threaded process does not apply to its other threads,
/// and the .NET runtime has started threads before <c>Main</c>. So the command re-executes itself under
/// util-linux <c>unshare --mount --propagation private --pid --fork --mount-proc --kill-child</c>: the
/// whole serving process lives in the new namespaces from its first instruction. The PID namespace
/// makes the server its init, so when it exits for any reason the kernel kills whatever the command left
/// running, and the mounts vanish with the namespace.
/// </remarks>
internal static class RunCommand
{
    private const string MdevctlDir = "/etc/mdevctl.d";

    public static Command Create()
    {
        Option<string?> topology = CommonOptions.Topology();
        var etc = new Option<string?>("--etc", "-e") { Description = $"Directory to show as {MdevctlDir} (default: a fresh private one with scripts.d/callouts and scripts.d/notifiers)" };
        var inNamespace = new Option<bool>("--in-namespace") { Hidden = true };
        var single = new Option<bool>("--single-threaded") { Description = "Serve FUSE requests on one thread" };
        var cmd = new Argument<string[]>("command")
        {
            Description = "The command and its arguments, after --",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("run", "Run a command (e.g. mdevctl) in a private mount namespace where /sys is the simulated host served live through FUSE and /etc/mdevctl.d is private; exits with the command's exit code. Needs root.")
        {
            topology,
            etc,
            single,
            inNamespace,
            cmd,
        };
        command.SetAction(pr =>
        {
            string[] argv = pr.GetValue(cmd) ?? [];
            string? topologyFile = pr.GetValue(topology);
            string? etcDir = pr.GetValue(etc);
            return pr.GetValue(inNamespace)
                ? RunInNamespace(topologyFile, etcDir, pr.GetValue(single), argv)
                : Enter(topologyFile, etcDir, pr.GetValue(single), argv);
        });
        return command;
    }

    private static int Enter(string? topologyFile, string? etcDir, bool single, string[] argv)
    {
        if (CommonOptions.Load(topologyFile, Console.Error) is null)
        {
            return 1;
        }

        if (!FuseSupport.IsRoot())
        {
            Console.Error.WriteLine("mdevsim run: needs root: it mounts the simulated /sys over /sys in a private mount namespace. Run it with sudo.");
            return 1;
        }

        if (FuseSupport.GetUnavailableReason() is { } reason)
        {
            Console.Error.WriteLine($"mdevsim run: {reason}");
            return 1;
        }

        if (etcDir is not null && !Directory.Exists(etcDir))
        {
            Console.Error.WriteLine($"mdevsim run: --etc {etcDir}: no such directory");
            return 1;
        }

        if (Libc.FindOnPath("unshare") is null)
        {
            Console.Error.WriteLine("mdevsim run: the unshare command (util-linux) is not on PATH; install util-linux.");
            return 1;
        }

        string processPath = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        List<string> exec = ["unshare", "--mount", "--propagation", "private", "--pid", "--fork", "--mount-proc", "--kill-child", "--", processPath];
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            exec.Add(Path.Combine(AppContext.BaseDirectory, "mdevsim.dll"));
        }

        exec.AddRange(["run", "--in-namespace"]);
        if (topologyFile is not null)
        {
            exec.AddRange(["--topology", Path.GetFullPath(topologyFile)]);
        }

        if (etcDir is not null)
        {
            exec.AddRange(["--etc", Path.GetFullPath(etcDir)]);
        }

        if (single)
        {
            exec.Add("--single-threaded");
        }

        exec.Add("--");
        exec.AddRange(argv);
        Console.Out.Flush();
        Console.Error.Flush();
        string error = Libc.Exec(exec);
        Console.Error.WriteLine($"mdevsim run: cannot execute unshare: {error}");
        return 1;
    }

    private static int RunInNamespace(string? topologyFile, string? etcDir, bool single, string[] argv)
    {
        HostTopology? topology = CommonOptions.Load(topologyFile, Console.Error);
        MdevHost? host = topology is null ? null : CommonOptions.Build(topology, Console.Error);
        if (host is null)
        {
            return 1;
        }

        SysfsFuseMount? mount = null;
        bool sysBound = false;
        bool etcBound = false;
        string? freshEtc = null;
        try
        {
            // Mount on a private temporary directory, bind that over /sys, then drop the temporary mount point:
            // the bind keeps the FUSE connection alive, and nothing is left in /tmp while the command runs.
            DirectoryInfo staging = Directory.CreateTempSubdirectory("mdevsim-sys-");
            try
            {
                mount = SysfsFuseMount.Start(host.Sysfs, staging.FullName, new FuseMountOptions { SingleThreaded = single });
                if (Libc.Mount(staging.FullName, "/sys", null, Libc.MS_BIND, 0) != 0)
                {
                    Console.Error.WriteLine($"mdevsim run: cannot bind the simulated sysfs over /sys: {Libc.LastError()}");
                    return 1;
                }

                sysBound = true;
            }
            finally
            {
                _ = Libc.Umount2(staging.FullName, Libc.MNT_DETACH);
                TryDelete(staging.FullName);
            }

            if (etcDir is null)
            {
                freshEtc = Directory.CreateTempSubdirectory("mdevsim-etc-").FullName;
                _ = Directory.CreateDirectory(Path.Combine(freshEtc, "scripts.d", "callouts"));
                _ = Directory.CreateDirectory(Path.Combine(freshEtc, "scripts.d", "notifiers"));
                etcDir = freshEtc;
            }

            if (Directory.Exists(MdevctlDir))
            {
                if (Libc.Mount(etcDir, MdevctlDir, null, Libc.MS_BIND, 0) != 0)
                {
                    Console.Error.WriteLine($"mdevsim run: cannot bind {etcDir} over {MdevctlDir}: {Libc.LastError()}");
                    return 1;
                }

                etcBound = true;
            }
            else
            {
                Console.Error.WriteLine($"mdevsim run: note: {MdevctlDir} does not exist on this machine (is mdevctl installed?), so it is not replaced.");
            }

            return RunChild(argv);
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"mdevsim run: {e.Message}");
            return 1;
        }
        finally
        {
            if (etcBound)
            {
                _ = Libc.Umount2(MdevctlDir, Libc.MNT_DETACH);
            }

            if (freshEtc is not null)
            {
                TryDelete(freshEtc);
            }

            if (sysBound)
            {
                _ = Libc.Umount2("/sys", Libc.MNT_DETACH);
            }

            mount?.Dispose();
        }
    }

    private static int RunChild(string[] argv)
    {
        var start = new ProcessStartInfo(argv[0]) { UseShellExecute = false };
        foreach (string arg in argv.AsSpan(1))
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
            Console.Error.WriteLine($"mdevsim run: cannot start '{argv[0]}': {e.Message}");
            return 127;
        }

        using (child)
        {
            // Ctrl+C reaches the command through the terminal's process group; SIGTERM and SIGHUP sent to us are passed on.
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => ctx.Cancel = true);
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => Forward(ctx, child, 15));
            using PosixSignalRegistration sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, ctx => Forward(ctx, child, 1));
            child.WaitForExit();
            return child.ExitCode;
        }
    }

    private static void Forward(PosixSignalContext ctx, Process child, int signal)
    {
        ctx.Cancel = true;
        try
        {
            _ = Libc.Kill(child.Id, signal);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"mdevsim run: note: could not remove {dir}: {e.Message}");
        }
    }
}
