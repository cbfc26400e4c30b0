using System.Text;
using MdevCore.Mediated;
using MdevCore.Sysfs;

namespace MdevCore.Topology;

/// <summary>
/// A vendor driver described by data: types with budgets (per type, or shared by the parent with a cost
/// per device), optional fault injection, and per-device attributes holding stored values.
/// </summary>
/// <remarks>Thread safety: thread-safe; one lock guards the counters and the stored values.</remarks>
internal class DeclarativeDriver : IMdevParentOps, IMdevAvailableInstances, IMdevDeviceAttributeGroups
{
    private readonly Lock _lock = new();
    private readonly ParentModel _model;
    private readonly Dictionary<string, TypeModel> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _used = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, Dictionary<string, string>> _values = [];
    private int _sharedUsed;

    protected DeclarativeDriver(ParentModel model)
    {
        _model = model;
        SupportedTypes = [.. model.Types.Select(t => new MdevTypeInfo(t.Name, t.DeviceApi, t.PrettyName))];
        foreach (TypeModel t in model.Types)
        {
            _types.Add(t.Name, t);
            _used.Add(t.Name, 0);
        }

        DeviceAttributeGroups = model.DeviceAttributes.Count == 0
            ? []
            : [new AttributeGroup(null, model.DeviceAttributes.Select(MakeAttribute), IsVisible)];
    }

    public static DeclarativeDriver Create(ParentModel model) =>
        model.Types.Any(t => t.Description is not null) ? new DescribedDeclarativeDriver(model) : new DeclarativeDriver(model);

    public IReadOnlyList<MdevTypeInfo> SupportedTypes { get; }

    public IReadOnlyList<AttributeGroup> DeviceAttributeGroups { get; }

    protected TypeModel ModelOf(MdevType type) => _types[type.Info.SysfsName];

    public int GetAvailableInstances(MdevType type)
    {
        lock (_lock)
        {
            return Available(ModelOf(type));
        }
    }

    public Errno Create(MdevDevice mdev)
    {
        TypeModel type = ModelOf(mdev.Type);
        if (type.CreateError != Errno.None)
        {
            return type.CreateError;
        }

        lock (_lock)
        {
            if (Available(type) < 1)
            {
                return Errno.ENOSPC;
            }

            _used[type.Name]++;
            _sharedUsed += type.Cost;
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (AttributeModel a in _model.DeviceAttributes)
            {
                values[a.Name] = a.Value;
            }

            _values[mdev.Uuid] = values;
        }

        return Errno.None;
    }

    public Errno Remove(MdevDevice mdev)
    {
        TypeModel type = ModelOf(mdev.Type);
        lock (_lock)
        {
            if (_values.Remove(mdev.Uuid))
            {
                _used[type.Name]--;
                _sharedUsed -= type.Cost;
            }
        }

        return Errno.None;
    }

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

    private bool IsVisible(object? owner, SysfsAttribute attribute)
    {
        AttributeModel model = _model.DeviceAttributes.First(a => a.Name == attribute.Name);
        return model.Types is null || (owner is MdevDevice mdev && model.Types.Contains(mdev.Type.Info.SysfsName));
    }

    private SysfsAttribute MakeAttribute(AttributeModel a)
    {
        Result<string> Show(object? owner)
        {
            lock (_lock)
            {
                return owner is MdevDevice mdev && _values.TryGetValue(mdev.Uuid, out Dictionary<string, string>? values)
                    ? values[a.Name] + "\n"
                    : Errno.ENODEV;
            }
        }

        Errno Store(object? owner, ReadOnlySpan<byte> data)
        {
            string text = Encoding.UTF8.GetString(data);
            if (text.EndsWith('\n'))
            {
                text = text[..^1];
            }

            lock (_lock)
            {
                if (owner is not MdevDevice mdev || !_values.TryGetValue(mdev.Uuid, out Dictionary<string, string>? values))
                {
                    return Errno.ENODEV;
                }

                values[a.Name] = text;
                return Errno.None;
            }
        }

        return a.Access switch
        {
            AttributeAccess.ReadOnly => new SysfsAttribute(a.Name, SysfsAttribute.Modes.ReadOnly, Show, null),
            AttributeAccess.WriteOnly => new SysfsAttribute(a.Name, SysfsAttribute.Modes.WriteOnly, null, Store),
            _ => new SysfsAttribute(a.Name, SysfsAttribute.Modes.ReadWrite, Show, Store),
        };
    }

    /// <summary>The same driver with a <c>description</c> file in every type directory.</summary>
    private sealed class DescribedDeclarativeDriver(ParentModel model) : DeclarativeDriver(model), IMdevTypeDescription
    {
        public string GetDescription(MdevType type) => (ModelOf(type).Description ?? "") + "\n";
    }
}
