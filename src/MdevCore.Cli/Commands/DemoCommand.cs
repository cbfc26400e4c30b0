using System.CommandLine;
using MdevCore.Topology;
using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Sysfs;
using MdevCore.Vfio;

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
        MdevHost? host = CommonOptions.LoadHost(topologyFile, error, out HostTopology? topology);
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
        if (!ShowVfio(host, Uuids[0], output))
        {
            return 1;
        }


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

    /// <summary>What a VMM does with the device: IOMMU group, VFIO group and container, the device by UUID, its PCI
    /// identity from the config region, then bytes through the first UART of an mtty device and back (loopback).</summary>
    private static bool ShowVfio(MdevHost host, string uuid, TextWriter output)
    {
        SysfsView sys = host.Sysfs;
        string group = sys.ReadLink($"/sys/bus/mdev/devices/{uuid}/iommu_group").Value;
        int id = int.Parse(group[(group.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        output.WriteLine($"VFIO, as a VMM uses it: iommu_group -> {group}; open /dev/vfio/{id}, attach a type1 container, get the device by UUID");
        Result<VfioGroup> opened = host.Vfio.OpenGroup(id);
        if (!opened.Succeeded)
        {
            output.WriteLine($"  open group: {opened.Error} ({opened.Error.Describe()})");
            return false;
        }

        using VfioGroup vfio = opened.Value;
        VfioContainer container = VfioHost.CreateContainer();
        if (vfio.SetContainer(container) != Errno.None || container.SetIommu(VfioIommuType.Type1) != Errno.None)
        {
            output.WriteLine("  the container refused the group");
            return false;
        }

        Result<MdevDeviceHandle> device = vfio.GetDevice(uuid);
        if (!device.Succeeded)
        {
            output.WriteLine($"  get device: {device.Error} ({device.Error.Describe()})");
            return false;
        }

        using MdevDeviceHandle handle = device.Value;
        var client = new VfioDeviceClient(handle);
        VfioDeviceInfo info = client.GetInfo().Value;
        output.WriteLine($"  device: {info.NumRegions} regions, {info.NumIrqs} irq types, flags 0x{info.Flags:x}");
        if ((info.Flags & VfioFlags.DevicePci) == 0)
        {
            output.WriteLine("  (not a PCI device: nothing more to show)");
            return true;
        }

        ulong config = client.GetRegionInfo(VfioFlags.PciConfigRegionIndex).Value.Offset;
        Span<byte> id4 = stackalloc byte[4];
        _ = handle.Read(id4, (long)config);
        output.WriteLine($"  config space: vendor {id4[0] | (id4[1] << 8):x4}, device {id4[2] | (id4[3] << 8):x4}");

        VfioRegionInfo bar0 = client.GetRegionInfo(0).Value;
        if (bar0.Size == 0)
        {
            return true;
        }

        long uart = (long)bar0.Offset;
        const int Data = 0, Lcr = 3, Lsr = 5;
        _ = handle.Write([0x03], uart + Lcr);          // 8N1
        byte[] message = "hello, mdev"u8.ToArray();
        foreach (byte b in message)
        {
            _ = handle.Write([b], uart + Data);        // transmit
        }

        var received = new List<byte>();
        Span<byte> one = stackalloc byte[1];
        while (handle.Read(one, uart + Lsr).Succeeded && (one[0] & 0x01) != 0 && received.Count < 64)
        {
            _ = handle.Read(one, uart + Data);         // receive while LSR says data ready
            received.Add(one[0]);
        }

        string text = System.Text.Encoding.ASCII.GetString([.. received]);
        output.WriteLine($"  UART 0 (BAR0): sent \"{System.Text.Encoding.ASCII.GetString(message)}\", received \"{text}\" (loopback)");
        output.WriteLine();
        return text == System.Text.Encoding.ASCII.GetString(message);
    }
}
