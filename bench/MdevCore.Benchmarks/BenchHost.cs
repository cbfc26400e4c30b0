using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Sysfs;

namespace MdevCore.Benchmarks;

/// <summary>A host with one parent and a trivial vendor, pre-filled with N devices.</summary>
internal sealed class BenchHost
{
    /// <param name="existing">Devices created up front.</param>
    /// <param name="vendorAttributes">Whether the vendor adds its own attribute group to each device (vendor state, left out of memory figures).</param>
    public BenchHost(int existing, bool vendorAttributes = true)
    {
        Host = new MdevHost(new MdevHostOptions { UEventBacklogCapacity = 0 });
        Device device = Host.DeviceModel.AddVirtualDevice("bench", "bench").Value;
        IMdevParentOps vendor = vendorAttributes ? new BenchVendor() : new PlainVendor();
        Parent = Host.Mdev.RegisterParent(device, vendor, new MdevParentOptions { MaxInstances = 2_000_000 }).Value;
        Type = Parent.Types[0];
        for (int i = 0; i < existing; i++)
        {
            _ = Host.Mdev.CreateDevice(Type, Uuid(i)).Value;
        }
    }

    public MdevHost Host { get; }

    public MdevParent Parent { get; }

    public MdevType Type { get; }

    public static Guid Uuid(int i) => new(i, (short)(i >> 16), 0x4242, 1, 2, 3, 4, 5, 6, 7, 8);
}

/// <summary>A vendor that accepts everything and owns one writable attribute per device.</summary>
internal sealed class BenchVendor : IMdevParentOps, IMdevDeviceAttributeGroups
{
    public IReadOnlyList<MdevTypeInfo> SupportedTypes { get; } = [new MdevTypeInfo("1", MdevTypeInfo.VfioPci, "bench")];

    public IReadOnlyList<AttributeGroup> DeviceAttributeGroups { get; } =
        [new AttributeGroup("vendor", [SysfsAttribute.ReadWrite("knob", static _ => "0\n", static (_, _) => Errno.None)])];

    public Errno Create(MdevDevice mdev) => Errno.None;

    public Errno Remove(MdevDevice mdev) => Errno.None;
}

/// <summary>A vendor that accepts everything and adds nothing to sysfs.</summary>
internal sealed class PlainVendor : IMdevParentOps
{
    public IReadOnlyList<MdevTypeInfo> SupportedTypes { get; } = [new MdevTypeInfo("1", MdevTypeInfo.VfioPci, "bench")];

    public Errno Create(MdevDevice mdev) => Errno.None;

    public Errno Remove(MdevDevice mdev) => Errno.None;
}
