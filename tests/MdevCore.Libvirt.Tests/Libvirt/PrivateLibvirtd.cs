using System.Globalization;
using System.Text;
using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Libvirt.Tests.Libvirt;

/// <summary>
/// Runs bash steps inside <c>mdevsim run --udev</c> next to a private libvirtd: tmpfs over its state,
/// cache, log and runtime directories, only the node-device driver loaded, clients on
/// <c>nodedev:///system</c>, and <c>virsh nodedev-event --loop</c> recording lifecycle events.
/// </summary>
/// <remarks>The recipe of docs/libvirt.md. Where this machine lacks one of those directories, the tmpfs
/// goes over its parent and the directory is made there, so nothing outside the namespace changes (and
/// concurrent runs cannot race on creating and removing it); the mounts end with the namespace.</remarks>
internal static class PrivateLibvirtd
{
    public const string Directories = "/run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt";

    private const string Start = """
        cd /
        for d in DIRS; do
          if [ -d "$d" ]; then mount -t tmpfs mdevsim-libvirt "$d"; else mount -t tmpfs mdevsim-libvirt "${d%/*}" && mkdir "$d"; fi || exit 3
        done
        [ -e /run/udev/control ] || { mkdir -p /run/udev && : > /run/udev/control; } || exit 3
        drivers=$(mktemp -d)
        ln -s /usr/lib/*/libvirt/connection-driver/libvirt_driver_nodedev.so "$drivers/" || exit 3
        LIBVIRT_DRIVER_DIR=$drivers libvirtd -p "/run/libvirt/libvirtd-${OUT##*/}.pid" > "$OUT/libvirtd.log" 2>&1 & daemon=$!
        export LIBVIRT_DEFAULT_URI=nodedev:///system
        i=0; until virsh uri > /dev/null 2>&1; do i=$((i + 1)); [ $i -lt 600 ] || { echo "libvirtd did not start" >&2; exit 3; }; sleep 0.1; done
        virsh nodedev-event --loop --event lifecycle > "$OUT/events" 2>&1 & events=$!
        """;

    private const string Stop = """
        kill $events $daemon; wait
        rm -r "$drivers"
        """;

    /// <summary>The results of the steps, then the recorded events as one more result.</summary>
    /// <param name="topology">The topology file.</param>
    /// <param name="daemon">The daemon's command line, unique to this run (to check that it is gone).</param>
    /// <param name="steps">Bash steps, each in a subshell; <c>$OUT</c> is a private scratch directory.</param>
    public static StepResults Run(string topology, out string daemon, params string[] steps)
    {
        Mdevsim.RequireMdevctl();
        if (!File.Exists("/usr/sbin/libvirtd") || !File.Exists("/usr/bin/virsh"))
        {
            throw new InvalidOperationException("libvirtd or virsh is missing (scripts/test.sh installs libvirt-daemon and libvirt-clients); the libvirt tests must not be skipped.");
        }

        string dir = Directory.CreateTempSubdirectory("mdevsim-libvirt-").FullName;
        daemon = $"libvirtd -p /run/libvirt/libvirtd-{Path.GetFileName(dir)}.pid";
        try
        {
            var script = new StringBuilder("OUT=" + dir + "\n");
            _ = script.Append(Start.Replace("DIRS", Directories, StringComparison.Ordinal)).Append('\n');
            for (int i = 0; i < steps.Length; i++)
            {
                _ = script.Append(CultureInfo.InvariantCulture, $"( {steps[i]}\n) >\"$OUT/{i}.out\" 2>\"$OUT/{i}.err\" </dev/null; echo $? >\"$OUT/{i}.rc\"\n");
            }

            _ = script.Append(Stop).Append('\n');
            File.WriteAllText(Path.Combine(dir, "script.sh"), script.ToString());
            ProcessResult run = ProcessRunner.Run(Mdevsim.Executable, ["run", "--udev", "--topology", topology, "--", "bash", Path.Combine(dir, "script.sh")], TimeSpan.FromSeconds(150));
            if (run.ExitCode != 0)
            {
                string log = File.Exists(Path.Combine(dir, "libvirtd.log")) ? File.ReadAllText(Path.Combine(dir, "libvirtd.log")) : "";
                throw new InvalidOperationException($"mdevsim run failed ({run.ExitCode}): {run.Stderr}\nlibvirtd: {log}");
            }

            var results = new ProcessResult[steps.Length + 1];
            for (int i = 0; i < steps.Length; i++)
            {
                results[i] = new ProcessResult(
                    int.Parse(File.ReadAllText($"{dir}/{i}.rc").Trim(), CultureInfo.InvariantCulture),
                    File.ReadAllText($"{dir}/{i}.out"),
                    File.ReadAllText($"{dir}/{i}.err"));
            }

            results[steps.Length] = new ProcessResult(0, File.ReadAllText($"{dir}/events"), "");
            return new StepResults([.. steps, "virsh nodedev-event --loop --event lifecycle"], results);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
