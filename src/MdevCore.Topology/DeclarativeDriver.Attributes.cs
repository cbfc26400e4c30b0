using System.Text;
using MdevCore.Mediated;
using MdevCore.Sysfs;

namespace MdevCore.Topology;

/// <summary>The declarative driver's attribute files: per-device values, and the parent's own values.</summary>
internal partial class DeclarativeDriver
{
    private readonly Dictionary<string, string> _parentValues;

    public IReadOnlyList<AttributeGroup> DeviceAttributeGroups { get; }

    public IReadOnlyList<AttributeGroup> ParentAttributeGroups { get; }

    private static AttributeGroup[] MakeGroups(
        IReadOnlyList<AttributeModel> attributes,
        Func<object?, AttributeModel, Result<string>> show,
        Func<object?, AttributeModel, string, Errno> store,
        Func<object?, AttributeModel, bool>? isVisible) =>
        [.. attributes.GroupBy(a => a.Group).Select(g => new AttributeGroup(
            g.Key,
            g.Select(a => MakeAttribute(a, show, store)),
            isVisible is null ? null : (owner, file) => isVisible(owner, g.First(a => a.Name == file.Name))))];

    private static SysfsAttribute MakeAttribute(AttributeModel a, Func<object?, AttributeModel, Result<string>> show, Func<object?, AttributeModel, string, Errno> store)
    {
        Result<string> Show(object? owner) => show(owner, a);

        Errno Store(object? owner, ReadOnlySpan<byte> data)
        {
            string text = Encoding.UTF8.GetString(data);
            return store(owner, a, text.EndsWith('\n') ? text[..^1] : text);
        }

        return a.Access switch
        {
            AttributeAccess.ReadOnly => new SysfsAttribute(a.Name, SysfsAttribute.Modes.ReadOnly, Show, null),
            AttributeAccess.WriteOnly => new SysfsAttribute(a.Name, SysfsAttribute.Modes.WriteOnly, null, Store),
            _ => new SysfsAttribute(a.Name, SysfsAttribute.Modes.ReadWrite, Show, Store),
        };
    }

    private static bool IsVisible(object? owner, AttributeModel model) =>
        model.Types is null || (owner is MdevDevice mdev && model.Types.Contains(mdev.Type.Info.SysfsName));

    private Result<string> DeviceShow(object? owner, AttributeModel a)
    {
        lock (_lock)
        {
            return owner is MdevDevice mdev && _values.TryGetValue(mdev.Uuid, out Dictionary<string, string>? values)
                ? values[a.Key] + "\n"
                : Errno.ENODEV;
        }
    }

    private Errno DeviceStore(object? owner, AttributeModel a, string text)
    {
        if (owner is not MdevDevice mdev)
        {
            return Errno.ENODEV;
        }

        if (_faults.Fire(FaultPath.Store, mdev.Uuid, ModelOf(mdev.Type).Name, a.Key) is { } fault)
        {
            return fault.Error;
        }

        lock (_lock)
        {
            if (!_values.TryGetValue(mdev.Uuid, out Dictionary<string, string>? values))
            {
                return Errno.ENODEV;
            }

            values[a.Key] = text;
            return Errno.None;
        }
    }

    private Result<string> ParentShow(object? owner, AttributeModel a)
    {
        lock (_lock)
        {
            return _parentValues[a.Key] + "\n";
        }
    }

    private Errno ParentStore(object? owner, AttributeModel a, string text)
    {
        lock (_lock)
        {
            _parentValues[a.Key] = text;
            return Errno.None;
        }
    }
}
