using System.CommandLine;
using System.Runtime.InteropServices;
using MdevCore.Cli.CommandLine;
using MdevCore.Topology;
using MdevCore.Fuse;

namespace MdevCore.Cli.Commands;

internal static class ServeCommand
{
    public static Command Create()
    {
        Option<string?> topology = CommonOptions.Topology();
        var mount = new Option<string>("--mount", "-m") { Description = "Existing empty directory to mount the simulated /sys on", Required = true };
        var single = new Option<bool>("--single-threaded") { Description = "Serve on one thread (fastest when pinned to one CPU)" };
        var debug = new Option<bool>("--debug") { Description = "Have libfuse print every request" };
        var allowOther = new Option<bool>("--allow-other") { Description = "Let other users use the mount as they may use /sys: everything is owned by root:root and checked against the caller's uid and groups, so they can read but not create, remove or change (default: only this user sees the mount)" };
        var udev = new Option<bool>("--udev") { Description = "Also broadcast the host's uevents as udev's netlink messages in this network namespace, which must be a private one (sudo unshare --net mdevsim serve --udev ...; " + Documentation.Page("libvirt.md") + ")" };
        var readyFd = new Option<int?>("--ready-fd") { Description = "When the mount answers, write a line to this open file descriptor and close it (a line also goes to standard output, and READY=1 to NOTIFY_SOCKET when systemd set it)", HelpName = "N" };
        var entryTimeout = new Option<double>("--entry-timeout") { Description = "Let the kernel cache path lookups for this many seconds (attributes are never cached; vanished entries are invalidated after every write; 0 for a lookup per path component)", DefaultValueFactory = _ => 1 };
        var command = new Command("serve", "Serve the simulated host's /sys through FUSE on a directory until SIGINT or SIGTERM, then unmount cleanly")
        {
            topology,
            mount,
            single,
            debug,
            allowOther,
            udev,
            readyFd,
            entryTimeout,
        };
        command.SetAction(pr =>
        {
            HostTopology? t = CommonOptions.Load(pr.GetValue(topology), Console.Error);
            if (t is null)
            {
                return 1;
            }

            if (FuseSupport.GetUnavailableReason() is { } reason)
            {
                Console.Error.WriteLine($"mdevsim serve: {reason}");
                return 1;
            }

            string dir = pr.GetValue(mount)!;
            if (MountPointCheck.Problem(dir, File.ReadLines("/proc/self/mountinfo")) is { } problem)
            {
                Console.Error.WriteLine($"mdevsim serve: {problem}");
                return ExitCodes.Failure;
            }

            if (pr.GetValue(udev) && RunUdev.MachineNamespaceProblem() is { } machine)
            {
                Console.Error.WriteLine($"mdevsim serve: {machine}");
                return ExitCodes.Failure;
            }

            ServeReadiness? readiness = ServeReadiness.Create(pr.GetValue(readyFd), out string? readyProblem);
            if (readiness is null)
            {
                Console.Error.WriteLine($"mdevsim serve: {readyProblem}");
                return ExitCodes.Failure;
            }

            MdevHost? host = CommonOptions.Build(t, Console.Error, CommonOptions.IsVerbose(pr));
            if (host is null)
            {
                return 1;
            }

            Fuse.Udev.UdevNetlinkBroadcaster? broadcaster;
            try
            {
                broadcaster = pr.GetValue(udev) ? RunUdev.Broadcast(host, callerNamespace: null) : null;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                Console.Error.WriteLine($"mdevsim serve: {e.Message}");
                return ExitCodes.Failure;
            }

            using Fuse.Udev.UdevNetlinkBroadcaster? broadcasting = broadcaster;

            using var stop = new ManualResetEventSlim(false);
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            SysfsFuseMount served;
            try
            {
                served = SysfsFuseMount.Start(host.Sysfs, dir, new FuseMountOptions
                {
                    SingleThreaded = pr.GetValue(single),
                    Debug = pr.GetValue(debug),
                    AllowOther = pr.GetValue(allowOther),
                    // A SIGKILLed daemon must not leave a dead mount behind ("Transport endpoint is not connected").
                    AutoUnmount = true,
                    EntryTimeout = TimeSpan.FromSeconds(Math.Max(0, pr.GetValue(entryTimeout))),
                });
            }
            catch (Exception e) when (e is IOException or PlatformNotSupportedException)
            {
                Console.Error.WriteLine($"mdevsim serve: {e.Message}");
                return 1;
            }

            using (served)
            {
                Console.Error.WriteLine($"mdevsim: serving {t.Source} on {served.MountPoint}"
                    + (broadcaster is null ? "" : $", uevents broadcast to udev listeners in network namespace {RunUdev.OwnNetworkNamespace()}")
                    + "; stop with Ctrl+C or SIGTERM");
                readiness.Ready(served.MountPoint, t.Source, Console.Error);
                while (!stop.Wait(200) && served.IsServing)
                {
                }

                bool external = !served.IsServing;
                readiness.Stopping(Console.Error);
                Console.Error.WriteLine(external ? "mdevsim: the mount went away; exiting" : "mdevsim: unmounting");
            }

            Console.Error.WriteLine($"mdevsim: {served.MountPoint} unmounted");
            return 0;

            void Stop(PosixSignalContext ctx)
            {
                ctx.Cancel = true;
                stop.Set();
            }
        });
        return command;
    }
}
