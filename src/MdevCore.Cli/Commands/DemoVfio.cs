using System.Globalization;
using System.Text;
using MdevCore.Mediated;
using MdevCore.Sysfs;
using MdevCore.Vfio;

namespace MdevCore.Cli.Commands;

/// <summary>The demo's VFIO step: what a VMM does with a new mdev, as far as its vendor driver supports it.</summary>
/// <remarks>IOMMU group, VFIO group and container, the device by UUID, its regions; for a PCI device the IDs from its
/// config region; for an mtty serial card, bytes through the first UART and back (loopback). Each step the device
/// cannot take is reported as "skipped: why"; only a step that was possible and failed makes the demo fail.</remarks>
internal static class DemoVfio
{
    // The PCI IDs of the mtty sample's serial card (the kernel sample uses the WCH CH35x IDs).
    private const int MttyVendor = 0x4348, MttyDevice = 0x3253;

    public static bool Show(MdevHost host, string uuid, TextWriter say)
    {
        SysfsView sys = host.Sysfs;
        string link = $"/sys/bus/mdev/devices/{uuid}/iommu_group";
        if (!sys.ReadLink(link).TryGetValue(out string? group))
        {
            say.WriteLine($"skipped: VFIO: readlink {link}: {Errno.ENOENT} ({Errno.ENOENT.Describe()}): the device is in no IOMMU group");
            say.WriteLine();
            return true;
        }

        int id = int.Parse(group[(group.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture);
        say.WriteLine($"VFIO, as a VMM uses it: iommu_group -> {group}; open /dev/vfio/{id}, attach a type1 container, get the device by UUID");
        Result<VfioGroup> opened = host.Vfio.OpenGroup(id);
        if (!opened.Succeeded)
        {
            say.WriteLine($"  open /dev/vfio/{id}: {Describe(opened.Error)}");
            return false;
        }

        using VfioGroup vfio = opened.Value;
        VfioContainer container = VfioHost.CreateContainer();
        Errno attached = vfio.SetContainer(container);
        Errno iommu = attached == Errno.None ? container.SetIommu(VfioIommuType.Type1) : Errno.None;
        if (attached != Errno.None || iommu != Errno.None)
        {
            say.WriteLine($"  {(attached != Errno.None ? "VFIO_GROUP_SET_CONTAINER" : "VFIO_SET_IOMMU")} on /dev/vfio/{id}: {Describe(attached != Errno.None ? attached : iommu)}");
            return false;
        }

        Result<MdevDeviceHandle> device = vfio.GetDevice(uuid);
        if (!device.Succeeded)
        {
            say.WriteLine($"  VFIO_GROUP_GET_DEVICE_FD {uuid} on /dev/vfio/{id}: {Describe(device.Error)}");
            return false;
        }

        using MdevDeviceHandle handle = device.Value;
        bool ok = ShowDevice(handle, uuid, say);
        say.WriteLine();
        return ok;
    }

    private static bool ShowDevice(MdevDeviceHandle handle, string uuid, TextWriter say)
    {
        var client = new VfioDeviceClient(handle);
        Result<VfioDeviceInfo> got = client.GetInfo();
        if (!got.TryGetValue(out VfioDeviceInfo info))
        {
            say.WriteLine($"  skipped: regions, config space and UART: VFIO_DEVICE_GET_INFO on {uuid}: {Describe(got.Error)}"
                + (got.Error == Errno.EINVAL ? " (the vendor driver has no ioctl callback, so vfio-mdev refuses every ioctl)" : ""));
            return true;
        }

        say.WriteLine($"  device: {info.NumRegions} regions, {info.NumIrqs} irq types, flags 0x{info.Flags:x}");
        if ((info.Flags & VfioFlags.DevicePci) == 0)
        {
            say.WriteLine("  skipped: config space and UART: not a PCI device (VFIO_DEVICE_FLAGS_PCI is clear)");
            return true;
        }

        if (!client.GetRegionInfo(VfioFlags.PciConfigRegionIndex).TryGetValue(out VfioRegionInfo? config) || config.Size < 4)
        {
            say.WriteLine("  skipped: config space and UART: the device has no readable config region");
            return true;
        }

        Span<byte> id4 = stackalloc byte[4];
        Result<int> read = handle.Read(id4, (long)config.Offset);
        if (!read.Succeeded)
        {
            say.WriteLine($"  read of the config region on {uuid}: {Describe(read.Error)}");
            return false;
        }

        int vendor = id4[0] | (id4[1] << 8), deviceId = id4[2] | (id4[3] << 8);
        say.WriteLine($"  config space: vendor {vendor:x4}, device {deviceId:x4}");
        if (vendor != MttyVendor || deviceId != MttyDevice || !client.GetRegionInfo(0).TryGetValue(out VfioRegionInfo? bar0) || bar0.Size == 0)
        {
            say.WriteLine("  skipped: UART loopback: not an mtty serial card");
            return true;
        }

        return Loopback(handle, (long)bar0.Offset, say);
    }

    /// <summary>Sends bytes through the first 16550-style UART of an mtty card in loopback and reads them back.</summary>
    private static bool Loopback(MdevDeviceHandle handle, long uart, TextWriter say)
    {
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

        string sent = Encoding.ASCII.GetString(message), text = Encoding.ASCII.GetString([.. received]);
        say.WriteLine($"  UART 0 (BAR0): sent \"{sent}\", received \"{text}\" (loopback)");
        return text == sent;
    }

    private static string Describe(Errno errno) => $"{errno} ({errno.Describe()})";
}
