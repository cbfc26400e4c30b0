using MdevCore.Mediated;

namespace MdevCore.Demo;

/// <summary>A tiny vendor driver: two serial-port types sharing a pool of ports, counted by the vendor.</summary>
internal sealed class DemoVendor(int ports) : IMdevParentOps, IMdevAvailableInstances
{
    private int _free = ports;

    public IReadOnlyList<MdevTypeInfo> SupportedTypes { get; } =
    [
        new MdevTypeInfo("1", MdevTypeInfo.VfioPci, "Single port serial"),
        new MdevTypeInfo("2", MdevTypeInfo.VfioPci, "Dual port serial"),
    ];

    public int GetAvailableInstances(MdevType type) => Volatile.Read(ref _free) / Ports(type);

    public Errno Create(MdevDevice mdev)
    {
        int need = Ports(mdev.Type);
        int free;
        do
        {
            free = Volatile.Read(ref _free);
            if (free < need)
            {
                return Errno.ENOSPC;
            }
        }
        while (Interlocked.CompareExchange(ref _free, free - need, free) != free);
        return Errno.None;
    }

    public Errno Remove(MdevDevice mdev)
    {
        _ = Interlocked.Add(ref _free, Ports(mdev.Type));
        return Errno.None;
    }

    private static int Ports(MdevType type) => type.Info.SysfsName == "2" ? 2 : 1;
}
