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
/// <para>
/// Three processes. The <b>supervisor</b> (what the user started) runs util-linux
/// <c>unshare --mount --propagation private --pid --fork --mount-proc --kill-child</c> on a second copy of
/// itself and passes SIGTERM and SIGHUP on to it (unshare's own parent blocks them while it waits).
/// The <b>server</b> lives in the new namespaces from its first instruction: a mount namespace entered by
/// one thread of a multi-threaded process would not apply to the runtime's other threads. It is the PID
/// namespace's init, so when it exits for any reason the kernel kills whatever the command left running,
/// and the mounts vanish with the namespace. It mounts the FUSE file system on a private temporary
/// directory. The <b>command</b> runs in a further, nested mount namespace where that directory is bound
/// over <c>/sys</c> and the mdevctl directory over <c>/etc/mdevctl.d</c>.
/// </para>
/// <para>
/// The server must not see its own FUSE mount as <c>/sys</c>: the runtime reads files such as
/// <c>/sys/devices/system/cpu/possible</c> while holding locks that the FUSE worker threads need to enter
/// managed code, which deadlocks (observed when a SIGCHLD arrived).
/// </para>
/// </remarks>
internal static class RunCommand
{
    private const string MdevctlDir = "/etc/mdevctl.d";

    public static Command Create()
    {
        Option<string?> topology = CommonOptions.Topology();
        var etc = new Option<string?>("--etc", "-e") { Description = $"Directory to show as {MdevctlDir} (default: a fresh private one with scripts.d/callouts and scripts.d/notifiers)" };
        var inNamespace = new Option<bool>("--in-namespace") { Hidden = true };
        var callerNetns = new Option<string?>(RunUdev.CallerNamespaceOption) { Hidden = true };
        var single = new Option<bool>("--single-threaded") { Description = "Serve FUSE requests on one thread" };
        var entryTimeout = new Option<double>("--entry-timeout") { Description = "Let the kernel cache path lookups for this many seconds (attributes are never cached; vanished entries are invalidated after every write; 0 for a lookup per path component)", DefaultValueFactory = _ => 1 };
        var stats = new Option<bool>("--stats") { Description = "When the command ends, print how many FUSE requests were served (to standard error)" };
        var udev = new Option<bool>("--udev") { Description = "Also give the command a private network namespace where the host's uevents are broadcast as udev's netlink messages, a private /run/udev and SYSTEMD_DEVICE_VERIFY_SYSFS=0, so libudev users (udevadm, libvirt) see the simulated devices and their hotplug (" + CommandLine.Documentation.Page("libvirt.md") + ")" };
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
            stats,
            udev,
            entryTimeout,
            inNamespace,
            callerNetns,
            cmd,
        };
        command.SetAction(pr =>
        {
            string[] argv = pr.GetValue(cmd) ?? [];
            string? topologyFile = pr.GetValue(topology);
            string? etcDir = pr.GetValue(etc);
            double timeout = pr.GetValue(entryTimeout);
            bool verbose = CommonOptions.IsVerbose(pr);
            bool withUdev = pr.GetValue(udev);
            return pr.GetValue(inNamespace)
                ? RunInNamespace(topologyFile, etcDir, pr.GetValue(single), pr.GetValue(stats), timeout, verbose, withUdev ? pr.GetValue(callerNetns) ?? "/proc/1/ns/net" : null, argv)
                : Enter(topologyFile, etcDir, pr.GetValue(single), pr.GetValue(stats), timeout, verbose, withUdev, argv);
        });
        return command;
    }

    private static int Enter(string? topologyFile, string? etcDir, bool single, bool stats, double entryTimeout, bool verbose, bool udev, string[] argv)
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
            Console.Error.WriteLine($"mdevsim run: --etc {etcDir}: stat: ENOENT (No such file or directory)");
            return 1;
        }

        if (etcDir is not null && MdevctlEtc.Prepare(etcDir) is { } etcProblem)
        {
            Console.Error.WriteLine("mdevsim run: " + etcProblem);
            return 1;
        }

        if (Libc.FindOnPath("unshare") is null)
        {
            Console.Error.WriteLine("mdevsim run: the unshare command (util-linux) is not on PATH; install util-linux.");
            return 1;
        }

        string processPath = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        List<string> exec = ["--mount", "--propagation", "private", "--pid", "--fork", "--mount-proc", "--kill-child", .. (udev ? (string[])["--net"] : []), "--", processPath];
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            exec.Add(Path.Combine(AppContext.BaseDirectory, "mdevsim.dll"));
        }

        exec.AddRange(["run", "--in-namespace"]);
        if (topologyFile is not null)
        {
            exec.AddRange(["--topology", File.Exists(topologyFile) ? Path.GetFullPath(topologyFile) : topologyFile]);
        }

        if (verbose)
        {
            exec.Add("--verbose");
        }

        if (etcDir is not null)
        {
            exec.AddRange(["--etc", Path.GetFullPath(etcDir)]);
        }

        if (single)
        {
            exec.Add("--single-threaded");
        }

        if (stats)
        {
            exec.Add("--stats");
        }

        if (udev)
        {
            exec.AddRange(["--udev", RunUdev.CallerNamespaceOption, RunUdev.OwnNetworkNamespace() ?? "/proc/1/ns/net"]);
        }

        if (entryTimeout > 0)
        {
            exec.AddRange(["--entry-timeout", entryTimeout.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        exec.Add("--");
        exec.AddRange(argv);
        return Supervise("unshare", exec, toChildrenOfChild: true);
    }

    // udevRefusedNamespace: with --udev, the caller's network namespace, where nothing may be broadcast; null without --udev.
    private static int RunInNamespace(string? topologyFile, string? etcDir, bool single, bool stats, double entryTimeout, bool verbose, string? udevRefusedNamespace, string[] argv)
    {
        MdevHost? host = CommonOptions.LoadHost(topologyFile, Console.Error, out HostTopology? topology, verbose);
        if (host is null)
        {
            return 1;
        }

        string? program = Resolve(argv[0]);
        if (program is null)
        {
            Console.Error.WriteLine($"mdevsim run: cannot start '{argv[0]}': no such file, or not on PATH");
            return 127;
        }

        SysfsFuseMount? mount = null;
        string? staging = null;
        string? freshEtc = null;
        string? udevStage = null;
        bool udev = udevRefusedNamespace is not null;
        try
        {
            using Fuse.Udev.UdevNetlinkBroadcaster? broadcaster = udev ? RunUdev.Broadcast(host, udevRefusedNamespace) : null;
            if (udev)
            {
                udevStage = Directory.CreateTempSubdirectory("mdevsim-run-").FullName;
            }

            staging = Directory.CreateTempSubdirectory("mdevsim-sys-").FullName;
            mount = SysfsFuseMount.Start(host.Sysfs, staging, new FuseMountOptions
            {
                SingleThreaded = single,
                StopTimeout = TimeSpan.FromSeconds(5),
                EntryTimeout = TimeSpan.FromSeconds(Math.Max(0, entryTimeout)),
            });
            if (etcDir is null)
            {
                freshEtc = Directory.CreateTempSubdirectory("mdevsim-etc-").FullName;
                if (MdevctlEtc.Prepare(freshEtc) is { } problem)
                {
                    Console.Error.WriteLine("mdevsim run: " + problem);
                    return 1;
                }

                etcDir = freshEtc;
            }

            if (!Directory.Exists(MdevctlDir))
            {
                Console.Error.WriteLine($"mdevsim run: note: {MdevctlDir} does not exist on this machine (is mdevctl installed?), so it is not replaced.");
                etcDir = "";
            }

            // The nested namespace: bind the FUSE mount over /sys and the config directory, then become the command.
            const string Script = "udev() { " + RunUdev.Script + "}; "
                + "mount --bind \"$1\" /sys || { echo \"mdevsim run: cannot bind the simulated sysfs over /sys\" >&2; exit 125; }; "
                + "if [ -n \"$2\" ]; then mount --bind \"$2\" " + MdevctlDir + " || { echo \"mdevsim run: cannot bind $2 over " + MdevctlDir + "\" >&2; exit 125; }; fi; "
                + "if [ -n \"$3\" ]; then udev \"$3\"; fi; "
                + "shift 3; exec \"$@\"";
            List<string> child = ["--mount", "--propagation", "private", "--", "sh", "-c", Script, "mdevsim-run", staging, etcDir, udevStage ?? "", program, .. argv.AsSpan(1)];
            int code = Supervise("unshare", child, toChildrenOfChild: false);
            if (stats)
            {
                Console.Error.WriteLine($"mdevsim: {mount.RequestCount} FUSE requests served");
            }

            // As the PID namespace's init, end whatever the command left running before unmounting.
            if (Environment.ProcessId == 1)
            {
                _ = Libc.Kill(-1, 9);
            }

            return code;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or UnauthorizedAccessException or InvalidOperationException)
        {
            Console.Error.WriteLine($"mdevsim run: {e.Message}");
            return 1;
        }
        finally
        {
            mount?.Dispose();
            if (staging is not null)
            {
                TryDelete(staging);
            }

            if (freshEtc is not null)
            {
                TryDelete(freshEtc);
            }

            if (udevStage is not null)
            {
                TryDelete(udevStage);
            }
        }
    }

    private static string? Resolve(string program) =>
        program.Contains('/', StringComparison.Ordinal) ? (File.Exists(program) ? program : null) : Libc.FindOnPath(program);

    /// <summary>Runs a child with inherited standard streams, passes SIGTERM and SIGHUP on, and returns its exit code.</summary>
    /// <param name="file">The program.</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="toChildrenOfChild">Signal the child's children instead (unshare --fork blocks the signals in its own process).</param>
    private static int Supervise(string file, IEnumerable<string> args, bool toChildrenOfChild)
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
            // Ctrl+C reaches every process through the terminal's process group, so SIGINT is only kept from
            // ending this one early; SIGTERM and SIGHUP sent to this process are passed on.
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => ctx.Cancel = true);
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => Forward(ctx, pid, 15, toChildrenOfChild));
            using PosixSignalRegistration sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, ctx => Forward(ctx, pid, 1, toChildrenOfChild));
            child.WaitForExit();
            return child.ExitCode;
        }
    }

    private static void Forward(PosixSignalContext ctx, int pid, int signal, bool toChildren)
    {
        ctx.Cancel = true;
        if (!toChildren)
        {
            _ = Libc.Kill(pid, signal);
            return;
        }

        try
        {
            foreach (string child in File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                _ = Libc.Kill(int.Parse(child, System.Globalization.CultureInfo.InvariantCulture), signal);
            }
        }
        catch (IOException)
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
