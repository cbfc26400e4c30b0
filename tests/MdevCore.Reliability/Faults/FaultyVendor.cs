using System.Collections.Concurrent;
using MdevCore.Mediated;
using MdevCore.Sysfs;
using MdevCore.Vfio;

namespace MdevCore.Reliability.Faults;

/// <summary>
/// A vendor driver implementing every vendor interface of the core (parent ops, descriptions, parent and device
/// attribute groups with their own show/store/visibility callbacks, open/release, read/write, ioctl, mmap and DMA
/// unmap), each of which can fail at a chosen call number. <see cref="FaultyCountingVendor"/> adds the vendor's own
/// instance count, <see cref="FaultyMdevDriver"/> a bus driver's probe and remove, and <see cref="Subscriber"/> a
/// uevent listener, all counted and planned here.
/// </summary>
public class FaultyVendor : IMdevParentOps, IMdevTypeDescription, IMdevParentAttributeGroups, IMdevDeviceAttributeGroups,
    IMdevDeviceOpen, IMdevDeviceReadWrite, IMdevDeviceIoctl, IMdevDeviceMmap, IVfioDmaUnmap
{
    /// <summary>Every callback name a fault can be planned for.</summary>
    public static IReadOnlyList<string> Callbacks { get; } =
    [
        "SupportedTypes", "Create", "Remove", "GetDescription", "ParentAttributeGroups", "DeviceAttributeGroups",
        "Open", "Release", "Read", "Write", "Ioctl", "Mmap", "DmaUnmap", "show", "store", "isVisible",
        "GetAvailableInstances", "Probe", "DriverRemove", "UEvent",
    ];

    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _unblock = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _blocking = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _memory = new byte[8192];
    private readonly AttributeGroup _parentGroup;
    private readonly AttributeGroup _deviceGroup;
    private int _fired;

    /// <summary>A vendor with the type names <c>1</c> and <c>2</c> and no planned fault.</summary>
    public FaultyVendor()
    {
        _parentGroup = new AttributeGroup("faulty_parent",
            [SysfsAttribute.ReadWrite("knob", _ => Show(), (_, _) => Store())],
            (_, _) => Visible());
        _deviceGroup = new AttributeGroup("faulty_vendor",
            [SysfsAttribute.ReadWrite("state", _ => Show(), (_, _) => Store())],
            (_, _) => Visible());
    }

    /// <summary>The planned fault, if any.</summary>
    public FaultPlan? Plan { get; set; }

    /// <summary>How long a <see cref="FaultKind.Block"/> fault blocks unless unblocked first.</summary>
    public TimeSpan BlockFor { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many times the plan fired.</summary>
    public int Fired => Volatile.Read(ref _fired);

    /// <summary>Completes when a <see cref="FaultKind.Block"/> fault starts blocking.</summary>
    public Task Blocking => _blocking.Task;

    /// <summary>Called on every callback after the fault check (for tests that re-enter the host).</summary>
    public Action<string, MdevDevice?>? OnCall { get; set; }

    /// <summary>The container each device pinned its pages in, so that <see cref="DmaUnmap"/> can give them back.</summary>
    public ConcurrentDictionary<MdevDevice, VfioContainer> Containers { get; } = new();

    /// <inheritdoc/>
    public virtual IReadOnlyList<MdevTypeInfo> SupportedTypes
    {
        get
        {
            Hit("SupportedTypes").ThrowIfFailed();
            return [new MdevTypeInfo("1", MdevTypeInfo.VfioPci, "faulty"), new MdevTypeInfo("2", MdevTypeInfo.VfioPci, "faulty-2")];
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<AttributeGroup> ParentAttributeGroups
    {
        get
        {
            Hit("ParentAttributeGroups").ThrowIfFailed();
            return [_parentGroup];
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<AttributeGroup> DeviceAttributeGroups
    {
        get
        {
            Hit("DeviceAttributeGroups").ThrowIfFailed();
            return [_deviceGroup];
        }
    }

    /// <summary>A uevent listener whose calls count as <c>UEvent</c> (subscribe it with <see cref="DriverModel.UEventLog.Subscribe"/>).</summary>
    public Action<DriverModel.UEvent> Subscriber => evt => { _ = Hit("UEvent"); };

    /// <summary>How many times <paramref name="callback"/> ran.</summary>
    /// <param name="callback">The callback name.</param>
    /// <returns>The count.</returns>
    public int Calls(string callback) => _calls.GetValueOrDefault(callback);

    /// <summary>Forgets the call counts (the plan's call numbers count from here).</summary>
    public void ResetCalls() => _calls.Clear();

    /// <summary>Ends a blocking fault early.</summary>
    public void Unblock() => _unblock.TrySetResult();

    /// <inheritdoc/>
    public virtual Errno Create(MdevDevice mdev) => Hit("Create", mdev);

    /// <inheritdoc/>
    public virtual Errno Remove(MdevDevice mdev)
    {
        Errno error = Hit("Remove", mdev);
        if (error == Errno.None)
        {
            _ = Containers.TryRemove(mdev, out _);
        }

        return error;
    }

    /// <inheritdoc/>
    public string GetDescription(MdevType type)
    {
        Hit("GetDescription").ThrowIfFailed();
        return "faulty type\n";
    }

    /// <inheritdoc/>
    public Errno Open(MdevDevice mdev) => Hit("Open", mdev);

    /// <inheritdoc/>
    public void Release(MdevDevice mdev) => _ = Hit("Release", mdev);

    /// <inheritdoc/>
    public Result<int> Read(MdevDevice mdev, Span<byte> buffer, long offset)
    {
        Errno error = Hit("Read", mdev);
        if (error != Errno.None)
        {
            return error;
        }

        int start = (int)Math.Clamp(offset, 0, _memory.Length);
        int n = Math.Min(_memory.Length - start, buffer.Length);
        _memory.AsSpan(start, n).CopyTo(buffer);
        return n;
    }

    /// <inheritdoc/>
    public Result<int> Write(MdevDevice mdev, ReadOnlySpan<byte> data, long offset)
    {
        Errno error = Hit("Write", mdev);
        if (error != Errno.None)
        {
            return error;
        }

        int start = (int)Math.Clamp(offset, 0, _memory.Length);
        int n = Math.Min(_memory.Length - start, data.Length);
        data[..n].CopyTo(_memory.AsSpan(start));
        return n;
    }

    /// <inheritdoc/>
    public Result<long> Ioctl(MdevDevice mdev, uint command, Span<byte> argument)
    {
        Errno error = Hit("Ioctl", mdev);
        if (error != Errno.None)
        {
            return error;
        }

        return command == VfioIoctls.DeviceReset ? Result<long>.Ok(0) : Errno.ENOTTY;
    }

    /// <inheritdoc/>
    public Result<Memory<byte>> Mmap(MdevDevice mdev, long offset, long length)
    {
        Errno error = Hit("Mmap", mdev);
        return error != Errno.None ? error : _memory.AsMemory(0, (int)Math.Clamp(length, 0, _memory.Length));
    }

    /// <summary>Gives back every pin of the device in the range, as a correct vendor does.</summary>
    /// <param name="mdev">The device.</param>
    /// <param name="iova">Start of the unmapped range.</param>
    /// <param name="length">Its length.</param>
    public void DmaUnmap(MdevDevice mdev, ulong iova, ulong length)
    {
        if (Hit("DmaUnmap", mdev) != Errno.None || !Containers.TryGetValue(mdev, out VfioContainer? container))
        {
            return;
        }

        for (ulong page = iova; page < iova + length; page += 4096)
        {
            while (container.GetPinCount(mdev, page) > 0)
            {
                container.UnpinPages(mdev, page, 1);
            }
        }
    }

    /// <summary>Counts the call and performs the planned fault when this is its call.</summary>
    /// <param name="callback">The callback name.</param>
    /// <param name="mdev">The device it is called for, if any.</param>
    /// <returns>The planned errno, or <see cref="Errno.None"/>.</returns>
    public Errno Hit(string callback, MdevDevice? mdev = null)
    {
        int n = _calls.AddOrUpdate(callback, 1, static (_, c) => c + 1);
        Errno result = Errno.None;
        if (Plan is { } plan && plan.Callback == callback && plan.AtCall == n)
        {
            _ = Interlocked.Increment(ref _fired);
            switch (plan.Kind)
            {
                case FaultKind.Throw:
                    throw new InjectedFaultException(callback);
                case FaultKind.Errno:
                    result = plan.Error;
                    break;
                case FaultKind.Block:
                    _ = _blocking.TrySetResult();
                    _ = _unblock.Task.Wait(BlockFor);
                    break;
            }
        }

        OnCall?.Invoke(callback, mdev);
        return result;
    }

    private Result<string> Show()
    {
        Errno error = Hit("show");
        return error != Errno.None ? error : "ok\n";
    }

    private Errno Store() => Hit("store");

    private bool Visible() => Hit("isVisible") == Errno.None;
}
