using MdevCore.Mediated;

namespace MdevCore.Topology;

/// <summary>
/// A vendor driver described by data: types with budgets (per type, or shared by the parent with a cost
/// per device), device and parent attributes holding stored values, and fault injection on every vendor path
/// (create, remove, open, release, read, write, ioctl, attribute store, available_instances).
/// </summary>
/// <remarks>
/// A declarative device emulates no regions: without a fault, read, write and ioctl answer <see cref="Errno.EINVAL"/>,
/// as the core does for a vendor without them. Thread safety: thread-safe; one lock guards the counters and the
/// stored values, and <see cref="FaultInjector"/> has its own.
/// </remarks>
internal partial class DeclarativeDriver : IMdevParentOps, IMdevAvailableInstances, IMdevDeviceAttributeGroups, IMdevParentAttributeGroups,
    IMdevDeviceOpen, IMdevDeviceReadWrite, IMdevDeviceIoctl
{
    private readonly Lock _lock = new();
    private readonly ParentModel _model;
    private readonly FaultInjector _faults;
    private readonly Dictionary<string, TypeModel> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _used = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, Dictionary<string, string>> _values = [];
    private readonly Dictionary<Guid, IReadOnlyList<KeyValuePair<string, string>>> _presets = [];
    private readonly Dictionary<Guid, Errno> _unreleased = [];
    private int _sharedUsed;

    protected DeclarativeDriver(ParentModel model)
    {
        _model = model;
        _faults = new FaultInjector(model.Faults);
        SupportedTypes = [.. model.Types.Select(t => new MdevTypeInfo(t.Name, t.DeviceApi, t.PrettyName))];
        foreach (TypeModel t in model.Types)
        {
            _types.Add(t.Name, t);
            _used.Add(t.Name, 0);
        }

        DeviceAttributeGroups = MakeGroups(model.DeviceAttributes, DeviceShow, DeviceStore, IsVisible);
        _parentValues = model.ParentAttributes.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        ParentAttributeGroups = MakeGroups(model.ParentAttributes, ParentShow, ParentStore, null);
    }

    public static DeclarativeDriver Create(ParentModel model) =>
        model.Types.Any(t => t.Description is not null) ? new DescribedDeclarativeDriver(model) : new DeclarativeDriver(model);

    public IReadOnlyList<MdevTypeInfo> SupportedTypes { get; }

    protected TypeModel ModelOf(MdevType type) => _types[type.Info.SysfsName];

    /// <summary>Gives a device that is about to be created its attribute values (a pre-created device of the topology).</summary>
    internal void Preset(Guid uuid, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        lock (_lock)
        {
            _presets[uuid] = values;
        }
    }

    public int GetAvailableInstances(MdevType type)
    {
        TypeModel model = ModelOf(type);
        if (_faults.Covers(FaultPath.AvailableInstances) && _faults.Fire(FaultPath.AvailableInstances, null, model.Name) is { } fault)
        {
            return fault.Count;
        }

        lock (_lock)
        {
            return Available(model);
        }
    }

    public Errno Create(MdevDevice mdev)
    {
        TypeModel type = ModelOf(mdev.Type);
        if (_faults.Fire(FaultPath.Create, mdev.Uuid, type.Name) is { } fault)
        {
            return fault.Error;
        }

        lock (_lock)
        {
            _ = _presets.Remove(mdev.Uuid, out IReadOnlyList<KeyValuePair<string, string>>? preset);
            if (Available(type) < 1)
            {
                return Errno.ENOSPC;
            }

            _used[type.Name]++;
            _sharedUsed += type.Cost;
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (AttributeModel a in _model.DeviceAttributes)
            {
                values[a.Key] = a.Value;
            }

            foreach (KeyValuePair<string, string> v in preset ?? [])
            {
                values[v.Key] = v.Value;
            }

            _values[mdev.Uuid] = values;
        }

        return Errno.None;
    }

    public Errno Remove(MdevDevice mdev)
    {
        TypeModel type = ModelOf(mdev.Type);
        if (_faults.Fire(FaultPath.Remove, mdev.Uuid, type.Name) is { } fault)
        {
            return fault.Error; // The seed core refuses the user's remove; the loader allows remove faults only there.
        }

        lock (_lock)
        {
            _ = _unreleased.Remove(mdev.Uuid);
            if (_values.Remove(mdev.Uuid))
            {
                _used[type.Name]--;
                _sharedUsed -= type.Cost;
            }
        }

        return Errno.None;
    }

    public Errno Open(MdevDevice mdev)
    {
        lock (_lock)
        {
            if (_unreleased.TryGetValue(mdev.Uuid, out Errno stuck))
            {
                return stuck;
            }
        }

        return _faults.Fire(FaultPath.Open, mdev.Uuid, ModelOf(mdev.Type).Name)?.Error ?? Errno.None;
    }

    public void Release(MdevDevice mdev)
    {
        // close_device cannot fail in the kernel; a failed teardown shows as the next open failing.
        if (_faults.Fire(FaultPath.Release, mdev.Uuid, ModelOf(mdev.Type).Name) is { } fault)
        {
            lock (_lock)
            {
                _unreleased[mdev.Uuid] = fault.Error;
            }
        }
    }

    public Result<int> Read(MdevDevice mdev, Span<byte> buffer, long offset) =>
        _faults.Fire(FaultPath.Read, mdev.Uuid, ModelOf(mdev.Type).Name)?.Error ?? Errno.EINVAL;

    public Result<int> Write(MdevDevice mdev, ReadOnlySpan<byte> data, long offset) =>
        _faults.Fire(FaultPath.Write, mdev.Uuid, ModelOf(mdev.Type).Name)?.Error ?? Errno.EINVAL;

    public Result<long> Ioctl(MdevDevice mdev, uint command, Span<byte> argument) =>
        _faults.Fire(FaultPath.Ioctl, mdev.Uuid, ModelOf(mdev.Type).Name)?.Error ?? Errno.EINVAL;

    private int Available(TypeModel type)
    {
        int available = int.MaxValue;
        if (type.MaxInstances is { } max)
        {
            available = max - _used[type.Name];
        }

        if (_model.SharedInstances is { } shared)
        {
            available = Math.Min(available, (shared - _sharedUsed) / type.Cost);
        }

        return Math.Max(0, available);
    }

    /// <summary>The same driver with a <c>description</c> file in every type directory.</summary>
    private sealed class DescribedDeclarativeDriver(ParentModel model) : DeclarativeDriver(model), IMdevTypeDescription
    {
        public string GetDescription(MdevType type) => (ModelOf(type).Description ?? "") + "\n";
    }
}
