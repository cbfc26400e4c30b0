using MdevCore.DriverModel;
using MdevCore.Mediated;

namespace MdevCore.Tests.Support;

/// <summary>Builds hosts and parents the way most tests need them.</summary>
internal static class TestHosts
{
    public const string Uuid1 = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001";
    public const string Uuid2 = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1002";
    public const string Uuid3 = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1003";

    public static MdevHost Create(KernelProfile profile = KernelProfile.Modern) =>
        new(new MdevHostOptions { Profile = profile, RemoveWaitTimeout = TimeSpan.FromSeconds(30) });

    /// <summary>A PCI GPU at 0000:00:02.0 bound to a simulated "i915" driver, so its types are "i915-*".</summary>
    public static Device AddGpu(MdevHost host, string address = "0000:00:02.0")
    {
        PciDevice gpu = host.DeviceModel.AddPciDevice(address, new PciIds(0x8086, 0x3e92, 0x030000)).GetValueOrThrow();
        if (!host.DeviceModel.TryGetBus("pci", out Bus? pci))
        {
            throw new InvalidOperationException("no pci bus");
        }

        DeviceDriver i915 = host.DeviceModel.GetDrivers(pci).FirstOrDefault(d => d.Name == "i915")
            ?? host.DeviceModel.RegisterDriver(pci, new NullDriver("i915")).GetValueOrThrow();
        host.DeviceModel.Bind(gpu, i915).ThrowIfFailed();
        return gpu;
    }

    /// <summary>A class device at /sys/devices/virtual/mtty/mtty, as the samples register.</summary>
    public static Device AddVirtual(MdevHost host, string name = "mtty") =>
        host.DeviceModel.AddVirtualDevice(name, name).GetValueOrThrow();

    public static MdevParent Register(MdevHost host, Device device, IMdevParentOps ops, int maxInstances = 4) =>
        host.Mdev.RegisterParent(device, ops, new MdevParentOptions { MaxInstances = maxInstances }).GetValueOrThrow();

    public static string Path(this MdevType type, string file) => type.SysfsPath + "/" + file;
}

/// <summary>A physical-device driver that accepts every device and does nothing.</summary>
internal sealed class NullDriver(string name) : IDeviceDriver
{
    public string Name => name;

    public Errno Probe(Device device) => Errno.None;

    public void Remove(Device device)
    {
    }
}
