using MdevCore;
using MdevCore.Mediated;

namespace VendorNamespace;

/// <summary>
/// A simulated vendor driver with one type. Its instance budget is its own (the driver reports
/// available_instances and refuses with ENOSPC when it is used up), as mtty and mbochs do.
/// </summary>
public sealed class VendorClassDriver : IMdevParentOps, IMdevAvailableInstances, IMdevTypeDescription
{
    private readonly Lock _lock = new();
    private readonly HashSet<Guid> _devices = [];

    /// <summary>Creates the driver.</summary>
    /// <param name="instances">How many devices the type allows.</param>
    public VendorClassDriver(int instances = 4242)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(instances);
        Instances = instances;
    }

    /// <summary>How many devices the type allows.</summary>
    public int Instances { get; }

    /// <summary>The devices this driver holds state for.</summary>
    public int DeviceCount
    {
        get
        {
            lock (_lock)
            {
                return _devices.Count;
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<MdevTypeInfo> SupportedTypes { get; } = [new MdevTypeInfo("1", MdevTypeInfo.VfioPci, "VendorProject-1")];

    /// <inheritdoc />
    public Errno Create(MdevDevice mdev)
    {
        ArgumentNullException.ThrowIfNull(mdev);
        lock (_lock)
        {
            if (_devices.Count >= Instances)
            {
                return Errno.ENOSPC;
            }

            _devices.Add(mdev.Uuid);
            return Errno.None;
        }
    }

    /// <inheritdoc />
    public Errno Remove(MdevDevice mdev)
    {
        ArgumentNullException.ThrowIfNull(mdev);
        lock (_lock)
        {
            _devices.Remove(mdev.Uuid);
            return Errno.None;
        }
    }

    /// <inheritdoc />
    public int GetAvailableInstances(MdevType type)
    {
        lock (_lock)
        {
            return Instances - _devices.Count;
        }
    }

    /// <inheritdoc />
    public string GetDescription(MdevType type) => $"VendorProject device, {Instances} instances\n";
}
