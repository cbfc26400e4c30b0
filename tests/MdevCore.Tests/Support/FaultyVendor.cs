using MdevCore.Mediated;
using MdevCore.Sysfs;
using MdevCore.Vfio;

namespace MdevCore.Tests.Support;

/// <summary>What an injected fault does when its callback is reached.</summary>
internal enum FaultKind
{
    /// <summary>The callback throws <see cref="InjectedFaultException"/>.</summary>
    Throw,

    /// <summary>The callback returns the fault's errno (void callbacks just return).</summary>
    Errno,

    /// <summary>The callback blocks until <see cref="FaultyVendor.Unblock"/> (or a generous safety bound), then goes on normally.</summary>
    Block,
}

/// <summary>An exception thrown on purpose by a test vendor.</summary>
internal sealed class InjectedFaultException(string callback) : Exception("injected fault in " + callback);

/// <summary>
/// A vendor driver implementing every vendor interface of the core (parent ops, descriptions, parent and
/// device attribute groups with their own show/store/visibility callbacks, open/release, read/write, ioctl,
/// mmap, DMA unmap and display planes), each of which can fail at a chosen call number.
/// </summary>
internal class FaultyVendor : IMdevParentOps, IMdevTypeDescription, IMdevParentAttributeGroups, IMdevDeviceAttributeGroups,
    IMdevDeviceOpen, IMdevDeviceReadWrite, IMdevDeviceIoctl, IMdevDeviceMmap, IVfioDmaUnmap
{
    /// <summary>Every callback name a fault can be planned for.</summary>
    public static readonly string[] Callbacks =
    [
        "SupportedTypes", "Create", "Remove", "GetDescription", "ParentAttributeGroups", "DeviceAttributeGroups",
        "Open", "Release", "Read", "Write", "Ioctl", "Mmap", "DmaUnmap", "show", "store", "isVisible",
    ];

    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _unblock = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _memory = new byte[8192];
    private readonly AttributeGroup _parentGroup;
    private readonly AttributeGroup _deviceGroup;

    public FaultyVendor()
    {
        _parentGroup = new AttributeGroup("faulty_parent",
            [SysfsAttribute.ReadWrite("knob", _ => Show(), (_, _) => Store())],
            (_, _) => Visible());
        _deviceGroup = new AttributeGroup("faulty_vendor",
            [SysfsAttribute.ReadWrite("state", _ => Show(), (_, _) => Store())],
            (_, _) => Visible());
    }

    /// <summary>The planned fault: callback name, call number (1 = first call), kind and errno.</summary>
    public (string Callback, int AtCall, FaultKind Kind, Errno Error)? Plan { get; set; }

    /// <summary>How many times the plan fired.</summary>
    public int Fired { get; private set; }

    /// <summary>Called on every callback after the fault check (for tests that re-enter the host).</summary>
    public Action<string, MdevDevice?>? OnCall { get; set; }

    public virtual IReadOnlyList<MdevTypeInfo> SupportedTypes
    {
        get
        {
            _ = Hit("SupportedTypes");
            return [new MdevTypeInfo("1", MdevTypeInfo.VfioPci, "faulty"), new MdevTypeInfo("2", MdevTypeInfo.VfioPci, "faulty-2")];
        }
    }

    public IReadOnlyList<AttributeGroup> ParentAttributeGroups
    {
        get
        {
            _ = Hit("ParentAttributeGroups");
            return [_parentGroup];
        }
    }

    public IReadOnlyList<AttributeGroup> DeviceAttributeGroups
    {
        get
        {
            _ = Hit("DeviceAttributeGroups");
            return [_deviceGroup];
        }
    }

    public int Calls(string callback)
    {
        lock (_calls)
        {
            return _calls.GetValueOrDefault(callback);
        }
    }

    public void Unblock() => _unblock.TrySetResult();

    public virtual Errno Create(MdevDevice mdev) => Hit("Create", mdev);

    public virtual Errno Remove(MdevDevice mdev) => Hit("Remove", mdev);

    public string GetDescription(MdevType type)
    {
        _ = Hit("GetDescription");
        return "faulty type\n";
    }

    public Errno Open(MdevDevice mdev) => Hit("Open", mdev);

    public void Release(MdevDevice mdev) => _ = Hit("Release", mdev);

    public Result<int> Read(MdevDevice mdev, Span<byte> buffer, long offset)
    {
        Errno error = Hit("Read", mdev);
        if (error != Errno.None)
        {
            return error;
        }

        int n = (int)Math.Clamp(_memory.Length - offset, 0, buffer.Length);
        _memory.AsSpan((int)Math.Min(offset, _memory.Length), n).CopyTo(buffer);
        return n;
    }

    public Result<int> Write(MdevDevice mdev, ReadOnlySpan<byte> data, long offset)
    {
        Errno error = Hit("Write", mdev);
        if (error != Errno.None)
        {
            return error;
        }

        int n = (int)Math.Clamp(_memory.Length - offset, 0, data.Length);
        data[..n].CopyTo(_memory.AsSpan((int)Math.Min(offset, _memory.Length)));
        return n;
    }

    public Result<long> Ioctl(MdevDevice mdev, uint command, Span<byte> argument)
    {
        Errno error = Hit("Ioctl", mdev);
        return error != Errno.None ? error : command == VfioIoctls.DeviceReset ? 0 : Errno.ENOTTY;
    }

    public Result<Memory<byte>> Mmap(MdevDevice mdev, long offset, long length)
    {
        Errno error = Hit("Mmap", mdev);
        return error != Errno.None ? error : _memory.AsMemory(0, (int)Math.Min(length, _memory.Length));
    }

    /// <summary>Gives back every pin of the device in the range, as a correct vendor does.</summary>
    public VfioContainer? Container { get; set; }

    public void DmaUnmap(MdevDevice mdev, ulong iova, ulong length)
    {
        if (Hit("DmaUnmap", mdev) != Errno.None || Container is null)
        {
            return;
        }

        for (ulong page = iova; page < iova + length; page += 4096)
        {
            while (Container.GetPinCount(mdev, page) > 0)
            {
                Container.UnpinPages(mdev, page, 1);
            }
        }
    }

    private Result<string> Show()
    {
        Errno error = Hit("show");
        return error != Errno.None ? error : "ok\n";
    }

    private Errno Store() => Hit("store");

    private bool Visible() => Hit("isVisible") == Errno.None;

    /// <summary>Counts the call and performs the planned fault when this is its call.</summary>
    protected Errno Hit(string callback, MdevDevice? mdev = null)
    {
        int n;
        lock (_calls)
        {
            n = _calls[callback] = _calls.GetValueOrDefault(callback) + 1;
        }

        Errno result = Errno.None;
        if (Plan is { } plan && plan.Callback == callback && plan.AtCall == n)
        {
            Fired++;
            switch (plan.Kind)
            {
                case FaultKind.Throw:
                    throw new InjectedFaultException(callback);
                case FaultKind.Errno:
                    result = plan.Error;
                    break;
                case FaultKind.Block:
                    // A bound far past any test's own limit, so a forgotten Unblock cannot hang the run.
                    _ = _unblock.Task.Wait(TimeSpan.FromMinutes(2));
                    break;
            }
        }

        OnCall?.Invoke(callback, mdev);
        return result;
    }
}

/// <summary>A <see cref="FaultyVendor"/> that also counts instances itself (a shared pool of 4).</summary>
internal sealed class FaultyCountingVendor : FaultyVendor, IMdevAvailableInstances
{
    private int _free = 4;

    public int GetAvailableInstances(MdevType type)
    {
        Errno error = Hit("GetAvailableInstances");
        return error != Errno.None ? 0 : Volatile.Read(ref _free);
    }

    public override Errno Create(MdevDevice mdev)
    {
        Errno error = base.Create(mdev);
        if (error != Errno.None)
        {
            return error;
        }

        if (Interlocked.Decrement(ref _free) < 0)
        {
            _ = Interlocked.Increment(ref _free);
            return Errno.ENOSPC;
        }

        return Errno.None;
    }

    public override Errno Remove(MdevDevice mdev)
    {
        Errno error = base.Remove(mdev);
        if (error == Errno.None || mdev.MdevParent.Manager.Profile == KernelProfile.Modern)
        {
            _ = Interlocked.Increment(ref _free);
        }

        return error;
    }
}
