using System.CommandLine;
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
/// <c>setpriv --pdeathsig KILL unshare --mount --propagation private --pid --fork --mount-proc --kill-child</c>
/// on a second copy of itself and passes signals on (<see cref="RunSupervisor"/>).
/// The <b>server</b> lives in the new namespaces from its first instruction: a mount namespace entered by
/// one thread of a multi-threaded process would not apply to the runtime's other threads. It is the PID
/// namespace's init, so when it exits for any reason the kernel kills whatever the command left running,
/// and the mounts vanish with the namespace. It mounts the FUSE file system on a directory of a private
/// tmpfs (<see cref="RunStaging"/>), so nothing is created outside. The <b>command</b> runs in a further, nested mount namespace where that directory is bound
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

    /// <summary>The fresh configuration directory's name on the server's tmpfs, and how the script is told to bind it (a user's <c>--etc</c> is always absolute).</summary>
    private const string FreshEtc = "etc";

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
        var uevents = new Option<string?>("--uevents") { Description = "Write every uevent of the run to FILE as JSON lines, in the shape of demo --json", HelpName = "FILE" };
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
            uevents,
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
            string? ueventFile = pr.GetValue(uevents);
            return pr.GetValue(inNamespace)
                ? RunInNamespace(topologyFile, etcDir, pr.GetValue(single), pr.GetValue(stats), timeout, verbose, withUdev ? pr.GetValue(callerNetns) ?? "/proc/1/ns/net" : null, ueventFile, argv)
                : Enter(topologyFile, etcDir, pr.GetValue(single), pr.GetValue(stats), timeout, verbose, withUdev, ueventFile, argv);
        });
        return command;
    }

    private static int Enter(string? topologyFile, string? etcDir, bool single, bool stats, double entryTimeout, bool verbose, bool udev, string? ueventFile, string[] argv)
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

        if (ueventFile is not null && RunUEventFile.Problem(ueventFile) is { } ueventProblem)
        {
            Console.Error.WriteLine("mdevsim run: " + ueventProblem);
            return 1;
        }

        if (Libc.FindOnPath("unshare") is null || Libc.FindOnPath("setpriv") is null)
        {
            Console.Error.WriteLine("mdevsim run: the unshare and setpriv commands (util-linux) are not on PATH; install util-linux.");
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

        if (ueventFile is not null)
        {
            exec.AddRange(["--uevents", Path.GetFullPath(ueventFile)]);
        }

        if (entryTimeout > 0)
        {
            exec.AddRange(["--entry-timeout", entryTimeout.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        exec.Add("--");
        exec.AddRange(argv);
        return RunSupervisor.Namespace(exec);
    }

    // udevRefusedNamespace: with --udev, the caller's network namespace, where nothing may be broadcast; null without --udev.
    private static int RunInNamespace(string? topologyFile, string? etcDir, bool single, bool stats, double entryTimeout, bool verbose, string? udevRefusedNamespace, string? ueventFile, string[] argv)
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
        RunStaging? scratch = null;
        bool udev = udevRefusedNamespace is not null;
        try
        {
            using RunUEventFile? ueventLog = ueventFile is null ? null : RunUEventFile.Open(host.UEvents, ueventFile);
            using Fuse.Udev.UdevNetlinkBroadcaster? broadcaster = udev ? RunUdev.Broadcast(host, udevRefusedNamespace) : null;
            scratch = RunStaging.Mount();
            string? udevStage = udev ? scratch.NewDirectory("udev") : null;
            string staging = scratch.NewDirectory("sys");
            mount = SysfsFuseMount.Start(host.Sysfs, staging, new FuseMountOptions
            {
                SingleThreaded = single,
                // As with /sys: the command's other users (a daemon that drops root) may read, but not write
                // what is root's. Only the command's namespace sees the mount.
                AllowOther = true,
                StopTimeout = TimeSpan.FromSeconds(5),
                EntryTimeout = TimeSpan.FromSeconds(Math.Max(0, entryTimeout)),
            });
            if (etcDir is null)
            {
                string freshEtc = scratch.NewDirectory(FreshEtc);
                if (MdevctlEtc.Prepare(freshEtc) is { } problem)
                {
                    Console.Error.WriteLine("mdevsim run: " + problem);
                    return 1;
                }

                etcDir = FreshEtc;
            }

            if (!Directory.Exists(MdevctlDir))
            {
                Console.Error.WriteLine($"mdevsim run: note: {MdevctlDir} does not exist on this machine (is mdevctl installed?), so it is not replaced.");
                etcDir = "";
            }

            // The nested namespace: bind the FUSE mount over /sys and the config directory, give back the real
            // temporary directory, then become the command with default signal handling (the server's runtime
            // ignores SIGPIPE, and ignored signals survive exec).
            const string Script = "udev() { " + RunUdev.Script + "}; "
                + "die() { echo \"mdevsim run: cannot $1\" >&2; exit 125; }; "
                + "scratch=\"${1%/*}\"; "
                + "mount --bind \"$1\" /sys || die 'bind the simulated sysfs over /sys'; "
                + "if [ \"$2\" = " + FreshEtc + " ]; then mount --bind \"$scratch/" + FreshEtc + "\" " + MdevctlDir + " || die 'bind a fresh " + MdevctlDir + "'; fi; "
                + "if [ -n \"$3\" ]; then udev \"$3\"; fi; "
                + "umount -l \"$scratch\" || die \"unmount the private $scratch\"; "
                + "case \"$2\" in /*) mount --bind \"$2\" " + MdevctlDir + " || die \"bind $2 over " + MdevctlDir + "\";; esac; "
                + "shift 3; exec env --default-signal -- \"$@\"";
            List<string> child = ["--mount", "--propagation", "private", "--", "sh", "-c", Script, "mdevsim-run", staging, etcDir, udevStage ?? "", program, .. argv.AsSpan(1)];
            int code = RunSupervisor.Command(child);
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
            scratch?.Dispose();
        }
    }

    private static string? Resolve(string program) =>
        program.Contains('/', StringComparison.Ordinal) ? (File.Exists(program) ? program : null) : Libc.FindOnPath(program);
}
