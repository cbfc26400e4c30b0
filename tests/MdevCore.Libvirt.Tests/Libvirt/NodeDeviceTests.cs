using System.Xml.Linq;
using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Libvirt.Tests.Libvirt;

/// <summary>
/// libvirt's node-device API, as OpenStack Nova, KubeVirt and oVirt use it, against the example
/// topologies: the real libvirtd (node-device driver, udev backend, mdevctl for defined devices) and virsh.
/// </summary>
public sealed class NodeDeviceTests
{
    private const string U1 = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1101";
    private const string U2 = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1102";
    private const string U3 = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1103";

    private static string Name(string uuid) => uuid.Replace('-', '_');

    // Waits until a virsh listing does (or, with !, does not) show a device, at most 5 s.
    private static string Until(string condition) =>
        $"n=0; until {condition}; do n=$((n + 1)); [ $n -le 50 ] || {{ echo 'not within 5 s' >&2; exit 9; }}; sleep 0.1; done";

    private static string Xml(string parent, string type, string uuid) =>
        $"<device><parent>{parent}</parent><capability type='mdev'><type id='{type}'/><uuid>{uuid}</uuid></capability></device>";

    private static Dictionary<string, Dictionary<string, int>> TypesByPath(string dumps) =>
        dumps.Split("</device>", StringSplitOptions.RemoveEmptyEntries)
            .Where(d => d.Contains("<device>", StringComparison.Ordinal))
            .Select(d => XElement.Parse(d + "</device>"))
            .ToDictionary(
                d => (string)d.Element("path")!,
                d => d.Descendants("type").Where(t => t.Element("availableInstances") is not null)
                    .ToDictionary(t => (string)t.Attribute("id")!, t => (int)t.Element("availableInstances")!));

    private static Dictionary<string, Dictionary<string, int>> SysfsTypes(string listing) =>
        listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' '))
            .GroupBy(f => f[0])
            .ToDictionary(g => g.Key, g => g.ToDictionary(f => f[1], f => int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("gvtg", "pci_0000_00_02_0", "pci_0000_00_02_0", "0000:00:02.0", "i915-GVTg_V5_4")]
    [InlineData("nvidia-vgpu", "pci_0000_41_00_0 pci_0000_42_00_0", "pci_0000_41_00_0", "0000:41:00.0", "nvidia-222")]
    [InlineData("mtty", "mtty_mtty", "mtty_mtty", "mtty", "mtty-2")]
    [InlineData("vfio-ccw", "css_0_0_0313", "css_0_0_0313", "0.0.0313", "vfio_ccw-io")]
    [InlineData("vfio-ap", "ap_matrix", "ap_matrix", "matrix", "vfio_ap-passthrough")]
    public void Virsh_lists_the_parents_follows_hotplug_and_manages_mdevs_through_mdevctl(string topology, string parents, string parent, string busName, string type)
    {
        string bus = "/sys/class/mdev_bus/" + busName;

        StepResults r = PrivateLibvirtd.Run(
            Path.Combine(Mdevsim.Topologies, topology + ".json"),
            out string daemon,
            /* 0 */ "virsh nodedev-list --cap mdev_types",
            /* 1 */ $"for p in {parents}; do virsh nodedev-dumpxml $p; done",
            /* 2 */ "for p in /sys/class/mdev_bus/*; do for t in $p/mdev_supported_types/*; do echo $(readlink -f $p) ${t##*/} $(cat $t/available_instances); done; done",
            /* 3 */ $"echo {U1} > {bus}/mdev_supported_types/{type}/create || exit 1; {Until($"virsh nodedev-list --cap mdev | grep -q {Name(U1)}_")}; virsh nodedev-list --cap mdev",
            /* 4 */ $"virsh nodedev-dumpxml {parent}; echo ====; echo $(readlink -f {bus}) {type} $(cat {bus}/mdev_supported_types/{type}/available_instances)",
            /* 5 */ $"echo 1 > /sys/bus/mdev/devices/{U1}/remove || exit 1; {Until($"! virsh nodedev-list --cap mdev | grep -q {Name(U1)}_")}; virsh nodedev-list --cap mdev",
            /* 6 */ $"echo \"{Xml(parent, type, U2)}\" > \"$OUT/u2.xml\"; virsh nodedev-create \"$OUT/u2.xml\" && ls /sys/bus/mdev/devices",
            /* 7 */ $"virsh nodedev-destroy $(virsh nodedev-list --cap mdev | grep {Name(U2)}_) && {Until($"! virsh nodedev-list --cap mdev --all | grep -q {Name(U2)}_")}",
            /* 8 */ $"echo \"{Xml(parent, type, U3)}\" > \"$OUT/u3.xml\"; virsh nodedev-define \"$OUT/u3.xml\" && virsh nodedev-list --cap mdev --inactive",
            // nodedev-start returns once mdevctl has started the device; libvirt marks it active when it hears the add.
            /* 9 */ $"dev=$(virsh nodedev-list --cap mdev --all | grep {Name(U3)}_) && virsh nodedev-start $dev && {Until("virsh nodedev-info $dev | grep -q '^Active: *yes$'")} && virsh nodedev-info $dev && ls /sys/bus/mdev/devices",
            /* 10 */ $"n=$(virsh nodedev-list --cap mdev --all | grep {Name(U3)}_) && virsh nodedev-autostart $n && virsh nodedev-info $n && mdevctl list --defined",
            /* 11 */ $"n=$(virsh nodedev-list --cap mdev --all | grep {Name(U3)}_) && virsh nodedev-destroy $n && virsh nodedev-undefine $n && {Until($"! virsh nodedev-list --cap mdev --all | grep -q {Name(U3)}_")}; mdevctl list --defined; ls /sys/bus/mdev/devices",
            /* 12 */ Until($"grep -q '{Name(U3)}_.*: Undefined' \"$OUT/events\""));

        r[0].Should().Be(new ProcessResult(0, string.Join('\n', parents.Split(' ')) + "\n\n", ""), r.ToString());

        // Every parent's types, with availableInstances as sysfs says at the same moment.
        TypesByPath(r[1].Stdout).Should().BeEquivalentTo(SysfsTypes(r[2].Stdout), r.ToString());

        r[3].ExitCode.Should().Be(0, r.ToString());
        r[3].Stdout.Should().MatchRegex($"^mdev_{Name(U1)}_[0-9a-z_]+\n\n$");

        // Live: the instance created through sysfs is gone from availableInstances.
        string[] after = r[4].Stdout.Split("====\n");
        Dictionary<string, Dictionary<string, int>> sysfsAfter = SysfsTypes(after[1]);
        string path = sysfsAfter.Keys.Single();
        TypesByPath(after[0])[path][type].Should().Be(sysfsAfter[path][type]).And.BeLessThan(SysfsTypes(r[2].Stdout)[path][type], r.ToString());

        r[5].Should().Be(new ProcessResult(0, "\n", ""), r.ToString());

        r[6].ExitCode.Should().Be(0, r.ToString());
        r[6].Stdout.Should().MatchRegex($"^Node device mdev_{Name(U2)}_[0-9a-z_]+ created from .*u2.xml\n\n{U2}\n$");
        r[7].ExitCode.Should().Be(0, r.ToString());

        r[8].ExitCode.Should().Be(0, r.ToString());
        r[8].Stdout.Should().MatchRegex($"^Node device 'mdev_{Name(U3)}_[0-9a-z_]+' defined from '.*u3.xml'\n\nmdev_{Name(U3)}_[0-9a-z_]+\n\n$");

        r[9].ExitCode.Should().Be(0, r.ToString());
        r[9].Stdout.Should().MatchRegex("Active: +yes\n").And.MatchRegex("Persistent: +yes\n").And.MatchRegex("Autostart: +no\n").And.EndWith($"\n{U3}\n");

        r[10].ExitCode.Should().Be(0, r.ToString());
        r[10].Stdout.Should().MatchRegex("Autostart: +yes\n").And.Contain($"{U3} {busName} {type} auto");

        r[11].Should().Be(new ProcessResult(0, r[11].Stdout, ""), r.ToString());
        r[11].Stdout.Should().MatchRegex($"^Destroyed node device 'mdev_{Name(U3)}_[0-9a-z_]+'\n\nUndefined node device 'mdev_{Name(U3)}_[0-9a-z_]+'\n\n$", "mdevctl has no definition left and no mdev is active");

        r[12].ExitCode.Should().Be(0, r.ToString());
        string[] events = [.. r[13].Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains(Name(U2), StringComparison.Ordinal) || l.Contains(Name(U3), StringComparison.Ordinal))
            .Select(l => (l.Contains(Name(U2), StringComparison.Ordinal) ? "U2 " : "U3 ") + l[(l.LastIndexOf(':') + 2)..])];
        // libvirt re-reads mdevctl's definitions when /etc/mdevctl.d changes; when that refresh runs while
        // mdevctl is still writing the new file, it reports the device Undefined and Defined again.
        string reported = string.Join(", ", events);
        while (reported.Contains("U3 Defined, U3 Undefined, U3 Defined", StringComparison.Ordinal))
        {
            reported = reported.Replace("U3 Defined, U3 Undefined, U3 Defined", "U3 Defined", StringComparison.Ordinal);
        }

        reported.Should().Be("U2 Created, U2 Deleted, U3 Defined, U3 Created, U3 Deleted, U3 Undefined", "virsh printed:\n" + r[13].Stdout);

        // Nothing left behind: no daemon, no mount (the recipe creates no directory outside its tmpfs mounts).
        File.ReadAllText("/proc/self/mounts").Should().NotContain("mdevsim-libvirt");
        ProcessRunner.Bash("pgrep -a -x libvirtd || true").Stdout.Should().NotContain(daemon);
    }
}
