using MdevCore.Cli.Logging;
using MdevCore.Fuse.Udev;

namespace MdevCore.Cli.Commands;

/// <summary>
/// What <c>mdevsim run --udev</c> adds to the command's namespace: libudev's view of a udev-managed host.
/// </summary>
/// <remarks>
/// <para>
/// The server and the command share a private network namespace (the supervisor adds <c>--net</c> to
/// unshare), so the uevents broadcast on the netlink socket reach the command and nobody outside.
/// </para>
/// <para>
/// libudev checks that <c>/sys</c> is sysfs unless <c>SYSTEMD_DEVICE_VERIFY_SYSFS=0</c>, and turns its
/// monitor off unless <c>/run/udev/control</c> exists (or <c>/dev</c> is devtmpfs). The command gets a
/// private, empty <c>/run/udev</c> holding <c>control</c>: a tmpfs over the existing directory, or, where the
/// machine has none, a tmpfs over <c>/run</c> with the original entries bound back in place, so nothing is
/// created outside the namespace. What mount itself creates in the new <c>/run</c> meanwhile (libmount's
/// <c>/run/mount</c>) stays private, so the namespace's mounts are not recorded in the machine's table.
/// </para>
/// </remarks>
internal static class RunUdev
{
    /// <summary>The hidden option by which the supervisor names its own network namespace to the server.</summary>
    public const string CallerNamespaceOption = "--caller-netns";

    /// <summary>The <c>net:[inode]</c> name of this process's network namespace, or null without procfs.</summary>
    public static string? OwnNetworkNamespace() => new FileInfo("/proc/self/ns/net").LinkTarget;

    /// <summary>
    /// Starts broadcasting the host's uevents in this process's private network namespace, refusing the
    /// caller's (<paramref name="callerNamespace"/>) and PID 1's; warnings go to standard error.
    /// </summary>
    /// <param name="host">The host.</param>
    /// <param name="callerNamespace">The supervisor's namespace name, or null to refuse PID 1's.</param>
    /// <returns>The broadcaster.</returns>
    public static UdevNetlinkBroadcaster Broadcast(MdevHost host, string? callerNamespace)
    {
        var options = new UdevNetlinkBroadcasterOptions { Logger = new VerboseLog(Console.Error).CreateLogger("udev") };
        if (callerNamespace is not null)
        {
            options.RefusedNetworkNamespace = callerNamespace;
        }

        return UdevNetlinkBroadcaster.Attach(host.UEvents, options);
    }

    /// <summary>
    /// Why this process's network namespace looks like the machine's (it has interfaces besides
    /// <c>lo</c>), or null when it holds only a loopback, as a namespace made for the simulation does.
    /// </summary>
    /// <returns>The message for <c>serve --udev</c>, or null.</returns>
    public static string? MachineNamespaceProblem()
    {
        string[] interfaces;
        try
        {
            interfaces = [.. File.ReadLines("/proc/self/net/dev").Skip(2)
                .Select(l => l.Split(':')[0].Trim()).Where(n => n.Length > 0 && n != "lo")];
        }
        catch (IOException)
        {
            return null;
        }

        return interfaces.Length == 0
            ? null
            : $"--udev: this network namespace has interfaces besides lo ({string.Join(", ", interfaces)}), so it is probably the machine's, where every udev listener "
                + "would receive the simulated devices; start serve in a private one: sudo unshare --net mdevsim serve --udev ...";
    }

    /// <summary>The variable that makes libudev accept a <c>/sys</c> that is not sysfs.</summary>
    public const string VerifySysfsVariable = "SYSTEMD_DEVICE_VERIFY_SYSFS";

    /// <summary>
    /// Shell text run in the command's mount namespace before the command; <c>$1</c> is an empty private
    /// directory it may use as a mount point. Exits 125 when the directory cannot be set up.
    /// </summary>
    public const string Script =
        "fail() { echo \"mdevsim run: --udev: cannot $1\" >&2; exit 125; }; "
        + "if [ -d /run/udev ]; then "
        + "  mount -t tmpfs -o mode=0755 mdevsim-udev /run/udev || fail 'mount a tmpfs over /run/udev'; "
        + "else "
        + "  mount --bind /run \"$1\" || fail 'bind /run'; "
        + "  mount -t tmpfs -o mode=0755 mdevsim-run /run || fail 'mount a tmpfs over /run'; "
        + "  for p in \"$1\"/* \"$1\"/.[!.]*; do "
        + "    [ -e \"$p\" ] || [ -L \"$p\" ] || continue; n=\"/run/${p##*/}\"; [ -e \"$n\" ] && continue; "
        + "    if [ -L \"$p\" ]; then cp -P \"$p\" \"$n\"; "
        + "    elif [ -d \"$p\" ]; then mkdir \"$n\" && mount --rbind \"$p\" \"$n\"; "
        + "    else : > \"$n\" && mount --bind \"$p\" \"$n\"; fi || fail \"keep $n\"; "
        + "  done; "
        + "  umount -l \"$1\"; mkdir /run/udev || fail 'create /run/udev'; "
        + "fi; "
        + ": > /run/udev/control || fail 'create /run/udev/control'; "
        + "export " + VerifySysfsVariable + "=0; ";
}
