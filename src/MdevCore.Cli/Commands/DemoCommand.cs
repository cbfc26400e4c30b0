using System.CommandLine;
using System.Globalization;
using MdevCore.Cli.CommandLine;
using MdevCore.Cli.Output;
using MdevCore.DriverModel;
using MdevCore.Sysfs;
using MdevCore.Topology;

namespace MdevCore.Cli.Commands;

/// <summary><c>mdevsim demo</c>: the mdev lifecycle on whatever the topology offers, saying what it skips and why.</summary>
/// <remarks>
/// The walk: the types; up to two devices created by writing UUIDs to the <c>create</c> file of the type
/// with the most room; a duplicate create; the bus and device trees; the device opened as a VMM does
/// (<see cref="DemoVfio"/>); removal through the <c>remove</c> files; the uevent log. A topology without
/// room, VFIO, PCI or a UART gets a "skipped: why" line for that step instead of a failure. The exit code
/// is 1 only when a step that was possible went wrong, or devices are left behind.
/// With <c>--json</c>, standard output carries only the uevent log as JSON lines (<see cref="UEventJson"/>)
/// and the walk-through goes to standard error.
/// </remarks>
internal static class DemoCommand
{
    private static readonly string[] Uuids = ["83b8f4f2-509f-382f-3c1e-e6bfe0fa1001", "83b8f4f2-509f-382f-3c1e-e6bfe0fa1002"];

    public static Command Create()
    {
        Option<string?> topology = CommonOptions.Topology();
        var json = new Option<bool>("--json") { Description = "Print the uevent log to standard output as JSON lines (one event per line); the walk-through goes to standard error" };
        var command = new Command("demo", "Walk through a simulated host in-process (no root, no FUSE): types, create by writing to create, the sysfs tree, VFIO, remove, uevents")
        {
            topology,
            json,
        };
        command.SetAction(pr => Run(pr.GetValue(topology), pr.GetValue(json), CommonOptions.IsVerbose(pr), pr.InvocationConfiguration.Output, pr.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(string? topologyFile, bool json, bool verbose, TextWriter output, TextWriter error)
    {
        MdevHost? host = CommonOptions.LoadHost(topologyFile, error, out HostTopology? topology, verbose);
        if (host is null)
        {
            return ExitCodes.Failure;
        }

        TextWriter say = json ? error : output;
        SysfsView sys = host.Sysfs;
        int before = host.Mdev.DeviceCount;
        say.WriteLine($"Host profile: {host.Profile} (topology: {topology!.Source})");
        say.WriteLine();
        say.WriteLine("$ mdevctl types   # as read from the simulated /sys");
        say.Write(TypesCommand.Render(sys));
        say.WriteLine();

        bool ok = true;
        string? typeDir = PickType(sys, topology.ParentNames, out int available);
        if (typeDir is null)
        {
            say.WriteLine("skipped: create, the device tree, VFIO and remove: no type of any parent has an available instance");
        }
        else
        {
            ok = Walk(host, typeDir, available, say);
        }

        say.WriteLine();
        WriteUEvents(host.UEvents.Drain(), json ? output : say, json);
        string left = typeDir is null ? "" : $"; available_instances of {typeDir[(typeDir.LastIndexOf('/') + 1)..]}: {Read(sys, typeDir + "/available_instances")}";
        say.WriteLine($"mdevs left: {host.Mdev.DeviceCount}{(before > 0 ? $" (the topology created {before})" : "")}{left}");
        return ok && host.Mdev.DeviceCount == before ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>Creates, shows, opens and removes devices of one type; false when a step that should work did not.</summary>
    private static bool Walk(MdevHost host, string typeDir, int available, TextWriter say)
    {
        SysfsView sys = host.Sysfs;
        string create = typeDir + "/create";
        string[] uuids = Uuids[..Math.Min(available, Uuids.Length)];
        bool ok = true;
        var created = new List<string>();
        foreach (string uuid in uuids)
        {
            Result<int> r = sys.Write(create, uuid + "\n");
            say.WriteLine($"$ echo {uuid} > {create}: {Describe(r)}");
            ok &= r.Succeeded;
            if (r.Succeeded)
            {
                created.Add(uuid);
            }
        }

        if (uuids.Length < Uuids.Length)
        {
            say.WriteLine($"skipped: a second device: available_instances of this type was {available}");
        }

        Result<int> duplicate = sys.Write(create, Uuids[0] + "\n");
        say.WriteLine($"$ echo {Uuids[0]} > {create}: {Describe(duplicate)}   # a duplicate");
        ok &= duplicate.Error == Errno.EEXIST;
        say.WriteLine($"$ cat {typeDir}/available_instances: {Read(sys, typeDir + "/available_instances")}");
        say.WriteLine();
        say.WriteLine("$ mdevsim tree --path /sys/bus/mdev");
        say.Write(SysfsTreeWriter.Write(sys, "/sys/bus/mdev"));
        say.WriteLine();
        if (created.Count > 0)
        {
            string device = $"/sys/bus/mdev/devices/{created[0]}";
            say.WriteLine($"$ mdevsim tree --path {device}/   # the device, through its bus link");
            say.Write(SysfsTreeWriter.Write(sys, sys.RealPath(device).Value));
            say.WriteLine();
            ok &= DemoVfio.Show(host, created[0], say);
        }

        foreach (string uuid in created)
        {
            Result<int> r = sys.Write($"/sys/bus/mdev/devices/{uuid}/remove", "1\n");
            say.WriteLine($"$ echo 1 > /sys/bus/mdev/devices/{uuid}/remove: {Describe(r)}");
            ok &= r.Succeeded;
        }

        return ok;
    }

    /// <summary>The type with the most room on the first parent that has any, preferring the last type in name order when two have room.</summary>
    /// <returns>The type's directory below <c>/sys/class/mdev_bus</c>, or <see langword="null"/>.</returns>
    private static string? PickType(SysfsView sys, IReadOnlyList<string> parentOrder, out int available)
    {
        available = 0;
        IReadOnlyList<string> parents = sys.List("/sys/class/mdev_bus").TryGetValue(out IReadOnlyList<string>? p) ? p : [];
        var rank = parentOrder.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
        foreach (string parent in parents.OrderBy(n => rank.GetValueOrDefault(n, int.MaxValue)).ThenBy(n => n, StringComparer.Ordinal))
        {
            string typesDir = $"/sys/class/mdev_bus/{parent}/mdev_supported_types";
            IReadOnlyList<string> types = sys.List(typesDir).TryGetValue(out IReadOnlyList<string>? t) ? t : [];
            (string Dir, int Available)[] room = [.. types.Order(StringComparer.Ordinal).Reverse()
                .Select(type => (Dir: typesDir + "/" + type, Available: int.TryParse(Read(sys, typesDir + "/" + type + "/available_instances"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : 0))
                .Where(x => x.Available > 0)];
            if (room.Length > 0)
            {
                (string dir, available) = room.FirstOrDefault(x => x.Available >= Uuids.Length, room[0]);
                return dir;
            }
        }

        return null;
    }

    private static void WriteUEvents(IReadOnlyList<UEvent> events, TextWriter writer, bool json)
    {
        if (json)
        {
            foreach (UEvent e in events)
            {
                writer.WriteLine(UEventJson.ToLine(e));
            }

            return;
        }

        writer.WriteLine("uevents:");
        foreach (UEvent e in events)
        {
            writer.WriteLine($"  {e.SequenceNumber,3} {e.Action.ToKernelString(),-7} {e.DevPath}{(e["DRIVER"] is { } d ? " DRIVER=" + d : "")}{(e["MDEV_STATE"] is { } s ? " MDEV_STATE=" + s : "")}");
        }
    }

    internal static string Describe(Result<int> result) =>
        result.Succeeded ? $"ok ({result.Value} bytes)" : $"{result.Error} ({result.Error.Describe()})";

    private static string Read(SysfsView sys, string path) =>
        sys.ReadText(path).TryGetValue(out string? text) ? text.Trim() : "?";
}
