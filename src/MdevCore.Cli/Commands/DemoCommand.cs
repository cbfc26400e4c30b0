using System.CommandLine;
using MdevCore.Topology;
using MdevCore.DriverModel;
using MdevCore.Sysfs;

namespace MdevCore.Cli.Commands;

internal static class DemoCommand
{
    private static readonly string[] Uuids = ["83b8f4f2-509f-382f-3c1e-e6bfe0fa1001", "83b8f4f2-509f-382f-3c1e-e6bfe0fa1002"];

    public static Command Create()
    {
        Option<string?> topology = CommonOptions.Topology();
        var command = new Command("demo", "Walk through a simulated host in-process (no root, no FUSE): types, create by writing to create, the sysfs tree, remove, uevents")
        {
            topology,
        };
        command.SetAction(pr => Run(pr.GetValue(topology), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string? topologyFile, TextWriter output, TextWriter error)
    {
        HostTopology? topology = CommonOptions.Load(topologyFile, error);
        MdevHost? host = topology is null ? null : CommonOptions.Build(topology, error);
        if (host is null)
        {
            return 1;
        }

        SysfsView sys = host.Sysfs;
        output.WriteLine($"Host profile: {host.Profile} (topology: {topology!.Source})");
        output.WriteLine();
        output.WriteLine("$ mdevctl types   # as read from the simulated /sys");
        output.Write(TypesCommand.Render(sys));
        output.WriteLine();

        string parent = topology.Parents[0].Name;
        string typesDir = $"/sys/class/mdev_bus/{parent}/mdev_supported_types";
        string type = sys.List(typesDir).Value.Order(StringComparer.Ordinal).Last();
        string create = $"{typesDir}/{type}/create";
        foreach (string uuid in Uuids)
        {
            output.WriteLine($"$ echo {uuid} > {create}: {Describe(sys.Write(create, uuid + "\n"))}");
        }

        output.WriteLine($"$ echo {Uuids[0]} > {create}: {Describe(sys.Write(create, Uuids[0] + "\n"))}   # a duplicate");
        output.WriteLine($"$ cat {typesDir}/{type}/available_instances: {sys.ReadText($"{typesDir}/{type}/available_instances").Value.Trim()}");
        output.WriteLine();
        output.WriteLine("$ mdevsim tree --path /sys/bus/mdev");
        output.Write(SysfsTreeWriter.Write(sys, "/sys/bus/mdev"));
        output.WriteLine();
        output.WriteLine($"$ mdevsim tree --path /sys/bus/mdev/devices/{Uuids[0]}/   # the device, through its bus link");
        output.Write(SysfsTreeWriter.Write(sys, sys.RealPath($"/sys/bus/mdev/devices/{Uuids[0]}").Value));
        output.WriteLine();

        foreach (string uuid in Uuids)
        {
            output.WriteLine($"$ echo 1 > /sys/bus/mdev/devices/{uuid}/remove: {Describe(sys.Write($"/sys/bus/mdev/devices/{uuid}/remove", "1\n"))}");
        }

        output.WriteLine();
        output.WriteLine("uevents:");
        foreach (UEvent e in host.UEvents.Drain())
        {
            output.WriteLine($"  {e.SequenceNumber,3} {e.Action.ToKernelString(),-7} {e.DevPath}{(e["DRIVER"] is { } d ? " DRIVER=" + d : "")}{(e["MDEV_STATE"] is { } s ? " MDEV_STATE=" + s : "")}");
        }

        output.WriteLine($"mdevs left: {host.Mdev.DeviceCount}; available_instances of {type}: {sys.ReadText($"{typesDir}/{type}/available_instances").Value.Trim()}");
        return host.Mdev.DeviceCount == 0 ? 0 : 1;
    }

    private static string Describe(Result<int> result) =>
        result.Succeeded ? $"ok ({result.Value} bytes)" : $"{result.Error} ({result.Error.Describe()})";
}
