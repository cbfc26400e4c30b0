using MdevCore.Mediated;
using MdevCore.Sysfs;

namespace MdevCore.Tests.Support;

/// <summary>A configurable vendor driver for tests: counts calls and fails on demand.</summary>
internal class TestVendor : IMdevParentOps
{
    public TestVendor(params MdevTypeInfo[] types) => SupportedTypes = types.Length > 0 ? types : [new MdevTypeInfo("1", "vfio-pci", "Test type")];

    public IReadOnlyList<MdevTypeInfo> SupportedTypes { get; }

    public Errno CreateResult { get; set; }

    public Errno RemoveResult { get; set; }

    public Exception? CreateThrows { get; set; }

    public Exception? RemoveThrows { get; set; }

    public List<string> Calls { get; } = [];

    public Func<MdevDevice, Errno>? OnCreate { get; set; }

    public Func<MdevDevice, Errno>? OnRemove { get; set; }

    public virtual Errno Create(MdevDevice mdev)
    {
        lock (Calls)
        {
            Calls.Add("create " + mdev.Name);
        }

        if (CreateThrows is not null)
        {
            throw CreateThrows;
        }

        return OnCreate?.Invoke(mdev) ?? CreateResult;
    }

    public virtual Errno Remove(MdevDevice mdev)
    {
        lock (Calls)
        {
            Calls.Add("remove " + mdev.Name);
        }

        if (RemoveThrows is not null)
        {
            throw RemoveThrows;
        }

        return OnRemove?.Invoke(mdev) ?? RemoveResult;
    }
}

/// <summary>A vendor that describes its types and adds a vendor attribute group to each mdev.</summary>
internal sealed class DescribingVendor : TestVendor, IMdevTypeDescription, IMdevDeviceAttributeGroups
{
    public DescribingVendor(params MdevTypeInfo[] types)
        : base(types)
    {
    }

    public IReadOnlyList<AttributeGroup> DeviceAttributeGroups { get; } =
    [
        new AttributeGroup("vendor", [SysfsAttribute.ReadOnly<MdevDevice>("sample_mdev_dev", m => $"This is MDEV {m.Name}\n")]),
    ];

    public string GetDescription(MdevType type) => $"test type {type.Info.SysfsName}\n";
}

/// <summary>A vendor that counts instances itself, mtty-style: a pool of ports shared by the types.</summary>
internal sealed class PoolVendor : TestVendor, IMdevAvailableInstances
{
    private int _free;

    public PoolVendor(int ports)
        : base(new MdevTypeInfo("1", "vfio-pci", "Single port serial"), new MdevTypeInfo("2", "vfio-pci", "Dual port serial")) => _free = ports;

    public int Free => Volatile.Read(ref _free);

    public int GetAvailableInstances(MdevType type) => Free / Ports(type);

    public override Errno Create(MdevDevice mdev)
    {
        _ = base.Create(mdev);
        int need = Ports(mdev.Type);
        while (true)
        {
            int free = Volatile.Read(ref _free);
            if (free < need)
            {
                return Errno.ENOSPC;
            }

            if (Interlocked.CompareExchange(ref _free, free - need, free) == free)
            {
                return Errno.None;
            }
        }
    }

    public override Errno Remove(MdevDevice mdev)
    {
        Errno result = base.Remove(mdev);
        _ = Interlocked.Add(ref _free, Ports(mdev.Type));
        return result;
    }

    private static int Ports(MdevType type) => type.Info.SysfsName == "2" ? 2 : 1;
}
