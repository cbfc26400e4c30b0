using System.Diagnostics;
using MdevCore.DriverModel;
using MdevCore.Sysfs;

namespace MdevCore.Mediated;

/// <summary>
/// The host's mdev list (<c>mdev_list</c>), keyed by UUID: lookups take no lock, writers hold the sysfs tree lock.
/// </summary>
/// <remarks>
/// An open-addressing table with linear probing over an array of slots. A slot is empty, holds a device, or
/// holds the tombstone a removal leaves so that later probes keep walking. Writers change one slot at a time
/// with a single reference store, so a reader sees each device either present or absent; growing or
/// cleaning the table builds a new array and publishes it whole, leaving the old one untouched for readers
/// still walking it. The kernel walks a linked list under a mutex (O(n)); this is O(1) and needs no node
/// per device. Writers use the tree lock rather than one of their own so that create lists a device and adds it
/// (device_add) in one locked section; nothing else is taken under it. Thread safety: thread-safe.
/// </remarks>
internal sealed class MdevList : IDeviceIndex
{
    private const int MinimumCapacity = 16;

    private readonly SysfsTree _tree;

    /// <summary>Marks a slot whose device was removed: a probe goes on past it, an insert may reuse it.</summary>
    private readonly object _tombstone = new();
    private volatile object?[] _slots = new object?[MinimumCapacity];
    private int _count;

    /// <summary>Slots that are not empty (devices and tombstones); kept at most half the capacity so probes stay short.</summary>
    private int _used;

    internal MdevList(SysfsTree tree) => _tree = tree;

    /// <summary>Number of devices listed.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Finds the device listed under <paramref name="uuid"/>, without a lock.</summary>
    public bool TryGet(Guid uuid, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MdevDevice? device)
    {
        object?[] slots = _slots;
        int mask = slots.Length - 1;
        for (int i = Home(uuid, mask); ; i = (i + 1) & mask)
        {
            object? slot = Volatile.Read(ref slots[i]);
            if (slot is null)
            {
                device = null;
                return false;
            }

            if (slot is MdevDevice listed && listed.Uuid == uuid)
            {
                device = listed;
                return true;
            }
        }
    }

    /// <summary>Lists <paramref name="device"/> unless its UUID is taken.</summary>
    /// <param name="device">The device.</param>
    /// <param name="existing">The device holding the UUID, when it is taken.</param>
    /// <returns>Whether the device was listed.</returns>
    public bool TryAdd(MdevDevice device, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out MdevDevice? existing)
    {
        using (_tree.EnterScope())
        {
            return TryAdd_NeedsLock(device, out existing);
        }
    }

    /// <summary>As <see cref="TryAdd"/>, with the tree lock held.</summary>
    public bool TryAdd_NeedsLock(MdevDevice device, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out MdevDevice? existing)
    {
        Debug.Assert(_tree.IsLockHeld);
        object?[] slots = _slots;
        int mask = slots.Length - 1;
        int free = -1;
        int i = Home(device.Uuid, mask);
        for (; slots[i] is { } slot; i = (i + 1) & mask)
        {
            if (slot is MdevDevice listed && listed.Uuid == device.Uuid)
            {
                existing = listed;
                return false;
            }

            if (free < 0 && ReferenceEquals(slot, _tombstone))
            {
                free = i;
            }
        }

        existing = null;
        if (free >= 0)
        {
            Volatile.Write(ref slots[free], device);
        }
        else if ((_used + 1) * 2 > slots.Length)
        {
            Rebuild_NeedsLock(_count + 1);
            Insert_NeedsLock(_slots, device);
            _used++;
        }
        else
        {
            Volatile.Write(ref slots[i], device);
            _used++;
        }

        Volatile.Write(ref _count, _count + 1);
        device.IsListed = true;
        return true;
    }

    /// <summary>Unlists <paramref name="device"/>; another device listed under the same UUID stays.</summary>
    public void Remove(MdevDevice device)
    {
        using (_tree.EnterScope())
        {
            object?[] slots = _slots;
            int mask = slots.Length - 1;
            for (int i = Home(device.Uuid, mask); slots[i] is { } slot; i = (i + 1) & mask)
            {
                if (ReferenceEquals(slot, device))
                {
                    Volatile.Write(ref slots[i], _tombstone);
                    Volatile.Write(ref _count, _count - 1);
                    return;
                }
            }
        }
    }

    /// <summary>The listed devices, in no particular order; a walk concurrent with writers may or may not see their changes.</summary>
    public IEnumerable<MdevDevice> Devices
    {
        get
        {
            object?[] slots = _slots;
            for (int i = 0; i < slots.Length; i++)
            {
                if (Volatile.Read(ref slots[i]) is MdevDevice device)
                {
                    yield return device;
                }
            }
        }
    }

    /// <summary>The mdev named <paramref name="name"/>: only the lower-case UUID form names one.</summary>
    Device? IDeviceIndex.Find(ReadOnlySpan<char> name) =>
        name.Length == 36 && !name.ContainsAnyInRange('A', 'F') && Guid.TryParseExact(name, "D", out Guid uuid) && TryGet(uuid, out MdevDevice? device)
            ? device
            : null;

    IEnumerable<Device> IDeviceIndex.Devices => Devices;

    /// <summary>The first slot to probe: Fibonacci hashing spreads UUIDs that differ only in a few bits.</summary>
    private static int Home(Guid uuid, int mask) => (int)((uint)uuid.GetHashCode() * 0x9E3779B9u >> 7) & mask;

    /// <summary>Copies the devices into a fresh array sized for <paramref name="count"/> (dropping the tombstones) and publishes it.</summary>
    private void Rebuild_NeedsLock(int count)
    {
        int capacity = MinimumCapacity;
        while (capacity < count * 4)
        {
            capacity *= 2;
        }

        var slots = new object?[capacity];
        foreach (object? slot in _slots)
        {
            if (slot is MdevDevice device)
            {
                Insert_NeedsLock(slots, device);
            }
        }

        _used = _count;
        _slots = slots;
    }

    private static void Insert_NeedsLock(object?[] slots, MdevDevice device)
    {
        int mask = slots.Length - 1;
        int i = Home(device.Uuid, mask);
        while (slots[i] is not null)
        {
            i = (i + 1) & mask;
        }

        Volatile.Write(ref slots[i], device);
    }
}
