using System.Buffers.Binary;
using System.Globalization;
using MdevCore.Mediated;
using MdevCore.Vfio;

namespace MdevCore.Samples.Tests.Support;

/// <summary>Acts like a VMM: creates an mdev through sysfs, opens its VFIO group, sets the container and IOMMU, gets the device.</summary>
internal sealed class Vmm : IDisposable
{
    private readonly Dictionary<uint, VfioRegionInfo> _regions = [];

    private Vmm(MdevHost host, VfioGroup group, VfioContainer container, MdevDeviceHandle device)
    {
        Host = host;
        Group = group;
        Container = container;
        Device = device;
        Client = new VfioDeviceClient(device);
    }

    public MdevHost Host { get; }

    public VfioGroup Group { get; }

    public VfioContainer Container { get; }

    public MdevDeviceHandle Device { get; private set; }

    public VfioDeviceClient Client { get; private set; }

    public static MdevHost NewHost(KernelProfile profile = KernelProfile.Modern) =>
        new(new MdevHostOptions { Profile = profile, RemoveWaitTimeout = TimeSpan.FromSeconds(30) });

    public static string Uuid(int n) => $"83b8f4f2-509f-382f-3c1e-{n:x12}";

    /// <summary>echo uuid &gt; create; open /dev/vfio/N; set container; VFIO_SET_IOMMU(type1); GET_DEVICE_FD; GET_INFO.</summary>
    public static Vmm Start(MdevHost host, MdevType type, string uuid)
    {
        host.Sysfs.Write(type.SysfsPath + "/create", uuid + "\n").Value.Should().Be(37);
        string link = host.Sysfs.ReadLink($"/sys/bus/mdev/devices/{uuid}/iommu_group").Value;
        int id = int.Parse(link.Split('/')[^1], CultureInfo.InvariantCulture);
        VfioGroup group = host.Vfio.OpenGroup(id).Value;
        VfioContainer container = VfioHost.CreateContainer();
        group.SetContainer(container).Should().Be(Errno.None);
        container.SetIommu(VfioIommuType.Type1).Should().Be(Errno.None);
        var vmm = new Vmm(host, group, container, group.GetDevice(uuid).Value);
        vmm.Client.GetInfo().Succeeded.Should().BeTrue();
        return vmm;
    }

    public VfioRegionInfo Region(uint index)
    {
        if (!_regions.TryGetValue(index, out VfioRegionInfo? info))
        {
            info = Client.GetRegionInfo(index).Value;
            _regions[index] = info;
        }

        return info;
    }

    public long At(uint index, long offset) => (long)Region(index).Offset + offset;

    public byte Read8(uint index, long offset)
    {
        Span<byte> b = stackalloc byte[1];
        Device.Read(b, At(index, offset)).Value.Should().Be(1);
        return b[0];
    }

    public ushort Read16(uint index, long offset)
    {
        Span<byte> b = stackalloc byte[2];
        Device.Read(b, At(index, offset)).Value.Should().Be(2);
        return BinaryPrimitives.ReadUInt16LittleEndian(b);
    }

    public uint Read32(uint index, long offset)
    {
        Span<byte> b = stackalloc byte[4];
        Device.Read(b, At(index, offset)).Value.Should().Be(4);
        return BinaryPrimitives.ReadUInt32LittleEndian(b);
    }

    public void Write8(uint index, long offset, byte value) =>
        Device.Write([value], At(index, offset)).Value.Should().Be(1);

    public void Write16(uint index, long offset, ushort value)
    {
        byte[] b = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        Device.Write(b, At(index, offset)).Value.Should().Be(2);
    }

    public void Write32(uint index, long offset, uint value)
    {
        byte[] b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        Device.Write(b, At(index, offset)).Value.Should().Be(4);
    }

    public uint Config32(int offset) => Read32(VfioFlags.PciConfigRegionIndex, offset);

    public void WriteConfig32(int offset, uint value) => Write32(VfioFlags.PciConfigRegionIndex, offset, value);

    /// <summary>The PCI BAR sizing protocol: write all ones, read the mask back, restore the old value.</summary>
    public uint SizeBar(int bar)
    {
        int offset = 0x10 + (4 * bar);
        uint old = Config32(offset);
        WriteConfig32(offset, uint.MaxValue);
        uint mask = Config32(offset);
        WriteConfig32(offset, old);
        return mask;
    }

    /// <summary>Registers an eventfd-like trigger and wires it to an IRQ index with SET_IRQS(DATA_EVENTFD | ACTION_TRIGGER).</summary>
    public Errno WireInterrupt(uint index, EventTrigger trigger)
    {
        int fd = Host.Vfio.EventFds.Add(trigger);
        byte[] payload = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(payload, fd);
        return Client.SetIrqs(VfioFlags.IrqSetDataEventfd | VfioFlags.IrqSetActionTrigger, index, 0, 1, payload);
    }

    /// <summary>Closes the device file and opens it again (the vendor sees the last close and a new first open).</summary>
    public void Reopen(string uuid)
    {
        Device.Dispose();
        Device = Group.GetDevice(uuid).Value;
        Client = new VfioDeviceClient(Device);
        Client.GetInfo().Succeeded.Should().BeTrue();
    }

    public void Dispose()
    {
        Device.Dispose();
        Group.Dispose();
    }
}
