using System.Globalization;
using FluentAssertions;
using MdevCore.Mediated;
using MdevCore.Vfio;

namespace MdevCore.Testing;

/// <summary>A device opened as a VMM opens it: created through sysfs, its IOMMU group from the <c>iommu_group</c> link, the VFIO
/// group opened and put in a new container with the type1 IOMMU, the device fd by UUID. Each step is asserted.</summary>
internal sealed class VfioSession : IDisposable
{
    private VfioSession(VfioGroup group, MdevDeviceHandle handle)
    {
        Group = group;
        Handle = handle;
        Client = new VfioDeviceClient(handle);
    }

    public VfioGroup Group { get; }

    public MdevDeviceHandle Handle { get; }

    public VfioDeviceClient Client { get; }

    public static VfioSession Open(MdevHost host, MdevType type, Guid uuid)
    {
        string name = uuid.ToString();
        host.Sysfs.Write(type.SysfsPath + "/create", name + "\n").Error.Should().Be(Errno.None, "a VMM's device is created through sysfs");
        Result<string> link = host.Sysfs.ReadLink($"/sys/bus/mdev/devices/{name}/iommu_group");
        link.Error.Should().Be(Errno.None, "a new mdev is in an IOMMU group");
        int id = int.Parse(link.Value.Split('/')[^1], CultureInfo.InvariantCulture);
        Result<VfioGroup> group = host.Vfio.OpenGroup(id);
        group.Error.Should().Be(Errno.None, "the device's group opens as /dev/vfio/{0}", id);
        VfioContainer container = VfioHost.CreateContainer();
        group.Value.SetContainer(container).Should().Be(Errno.None, "the group joins a new container");
        container.SetIommu(VfioIommuType.Type1).Should().Be(Errno.None, "the container takes the type1 IOMMU");
        Result<MdevDeviceHandle> device = group.Value.GetDevice(name);
        device.Error.Should().Be(Errno.None, "VFIO_GROUP_GET_DEVICE_FD by UUID");
        return new VfioSession(group.Value, device.Value);
    }

    public Result<uint> Read32(long offset)
    {
        Span<byte> buffer = stackalloc byte[4];
        Result<int> read = Handle.Read(buffer, offset);
        return read.Succeeded ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(buffer) : read.Error;
    }

    public void Dispose()
    {
        Handle.Dispose();
        Group.Dispose();
    }
}
