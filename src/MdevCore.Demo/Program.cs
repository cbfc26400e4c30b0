using MdevCore;
using MdevCore.Demo;
using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Sysfs;

// The embedded default: one host, one virtual parent "mtty" with a 24-port vendor driver.
var host = new MdevHost(new MdevHostOptions { Profile = args.Contains("--seed") ? KernelProfile.Seed : KernelProfile.Modern });
Device parentDevice = host.DeviceModel.AddVirtualDevice("mtty", "mtty").GetValueOrThrow();
MdevParent parent = host.Mdev.RegisterParent(parentDevice, new DemoVendor(ports: 24)).GetValueOrThrow();
SysfsView sys = host.Sysfs;

Console.WriteLine($"Host profile: {host.Profile}");
foreach (MdevType type in parent.Types)
{
    Console.WriteLine($"  {type.Id,-8} name={sys.ReadText(type.SysfsPath + "/name").Value.TrimEnd()} " +
        $"available_instances={sys.ReadText(type.SysfsPath + "/available_instances").Value.TrimEnd()}");
}

string[] uuids = ["83b8f4f2-509f-382f-3c1e-e6bfe0fa1001", "83b8f4f2-509f-382f-3c1e-e6bfe0fa1002"];
foreach (string uuid in uuids)
{
    string create = parent.Types[1].SysfsPath + "/create";
    Console.WriteLine($"echo {uuid} > {create}: {Describe(sys.Write(create, uuid + "\n"))}");
}

Console.WriteLine($"echo {uuids[0]} > create again: {Describe(sys.Write(parent.Types[1].SysfsPath + "/create", uuids[0] + "\n"))}");
Console.WriteLine();
Console.WriteLine(SysfsTreeWriter.Write(sys, "/sys/bus/mdev"));
Console.WriteLine(SysfsTreeWriter.Write(sys, parentDevice.SysfsPath));

foreach (string uuid in uuids)
{
    Console.WriteLine($"echo 1 > /sys/bus/mdev/devices/{uuid}/remove: {Describe(sys.Write($"/sys/bus/mdev/devices/{uuid}/remove", "1\n"))}");
}

Console.WriteLine();
Console.WriteLine("uevents:");
foreach (UEvent e in host.UEvents.Drain())
{
    Console.WriteLine($"  {e.SequenceNumber,3} {e.Action.ToKernelString(),-7} {e.DevPath}{(e["DRIVER"] is { } d ? " DRIVER=" + d : "")}{(e["MDEV_STATE"] is { } s ? " MDEV_STATE=" + s : "")}");
}

Console.WriteLine($"mdevs left: {host.Mdev.DeviceCount}; available_instances of {parent.Types[1].Id}: {sys.ReadText(parent.Types[1].SysfsPath + "/available_instances").Value.TrimEnd()}");
return host.Mdev.DeviceCount == 0 ? 0 : 1;

static string Describe(Result<int> result) => result.Succeeded ? $"ok ({result.Value} bytes)" : $"{result.Error} ({result.Error.Describe()})";
