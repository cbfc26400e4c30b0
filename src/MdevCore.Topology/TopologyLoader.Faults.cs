using System.Collections.Frozen;

namespace MdevCore.Topology;

/// <summary>Fault injection and pre-created devices.</summary>
public static partial class TopologyLoader
{
    private static readonly FrozenDictionary<string, FaultPath> FaultPaths = new Dictionary<string, FaultPath>(StringComparer.Ordinal)
    {
        ["create"] = FaultPath.Create,
        ["remove"] = FaultPath.Remove,
        ["open"] = FaultPath.Open,
        ["release"] = FaultPath.Release,
        ["read"] = FaultPath.Read,
        ["write"] = FaultPath.Write,
        ["ioctl"] = FaultPath.Ioctl,
        ["store"] = FaultPath.Store,
        ["available_instances"] = FaultPath.AvailableInstances,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static List<FaultModel> ValidateFaults(List<FaultSpec?>? specs, string path, IReadOnlyList<TypeModel> types, IReadOnlyList<AttributeModel> attributes, LoadContext context)
    {
        var faults = new List<FaultModel>();
        for (int i = 0; specs is not null && i < specs.Count; i++)
        {
            string fpath = $"{path}.faults[{i}]";
            FaultSpec f = specs[i] ?? throw context.Error(fpath, "a fault must be an object");
            string on = f.On ?? throw context.Error(fpath + ".on", $"required: the vendor path, one of {string.Join(", ", FaultPaths.Keys.Order(StringComparer.Ordinal).Select(k => $"\"{k}\""))}");
            if (!FaultPaths.TryGetValue(on, out FaultPath which))
            {
                throw context.Error(fpath + ".on", $"\"{on}\" is not a vendor path; use one of {string.Join(", ", FaultPaths.Keys.Order(StringComparer.Ordinal).Select(k => $"\"{k}\""))}");
            }

            Errno error = Errno.None;
            int count = 0;
            if (which == FaultPath.AvailableInstances)
            {
                // 6.x get_available returns an unsigned count: the vendor can lie about it, not fail it.
                if (f.Errno is not null)
                {
                    throw context.Error(fpath + ".errno", "available_instances cannot fail in the kernel (get_available returns a count); give \"count\", the number the driver reports instead");
                }

                count = f.Count ?? throw context.Error(fpath + ".count", "required for available_instances: the number the driver reports");
                if (count < 0)
                {
                    throw context.Error(fpath + ".count", "must be zero or more");
                }

                if (f.Uuid is not null)
                {
                    throw context.Error(fpath + ".uuid", "available_instances belongs to a type, not to a device; limit it with \"type\"");
                }
            }
            else
            {
                string name = f.Errno ?? throw context.Error(fpath + ".errno", "required: the errno name the call fails with, for example \"EBUSY\"");
                error = ParseErrno(name, fpath + ".errno", context.Source);
                if (f.Count is not null)
                {
                    throw context.Error(fpath + ".count", "only an available_instances fault reports a count");
                }
            }

            if (which == FaultPath.Remove && context.Profile != KernelProfile.Seed)
            {
                throw context.Error(fpath + ".on", "a remove fault needs \"kernel\": \"seed\": the 6.x mdev core ignores what a driver's remove returns, so only the seed core lets the driver refuse (a veto)");
            }

            if (f.After is < 0)
            {
                throw context.Error(fpath + ".after", "must be zero or more");
            }

            Guid? uuid = null;
            if (f.Uuid is { } text)
            {
                uuid = ParseUuid(text, fpath + ".uuid", context.Source);
            }

            if (f.Type is { } type && !types.Any(t => t.Name == type))
            {
                throw context.Error(fpath + ".type", $"\"{type}\" is not a type of this parent (give the name after the driver prefix)");
            }

            if (f.Attribute is { } attribute)
            {
                if (which != FaultPath.Store)
                {
                    throw context.Error(fpath + ".attribute", "only a store fault is limited to an attribute");
                }

                if (!attributes.Any(a => a.Key == attribute && a.Access != AttributeAccess.ReadOnly))
                {
                    throw context.Error(fpath + ".attribute", $"\"{attribute}\" is not a writable device attribute of this parent (\"name\" or \"group/name\")");
                }
            }

            faults.Add(new FaultModel(fpath, which, error, count, f.After ?? 0, uuid, f.Type, f.Attribute));
        }

        return faults;
    }

    // driver: the declarative driver's prefix, whose types are known now; null for a driver that brings its own types
    // (checked when the host is built).
    private static List<ActiveDeviceModel> ValidateDevices(List<DeviceSpec?>? specs, string path, string? driver, IReadOnlyList<TypeModel> types, IReadOnlyList<AttributeModel> attributes, LoadContext context)
    {
        var devices = new List<ActiveDeviceModel>();
        for (int i = 0; specs is not null && i < specs.Count; i++)
        {
            string dpath = $"{path}.devices[{i}]";
            DeviceSpec d = specs[i] ?? throw context.Error(dpath, "a device must be an object");
            string text = d.Uuid ?? throw context.Error(dpath + ".uuid", "required: the device's UUID");
            Guid uuid = ParseUuid(text, dpath + ".uuid", context.Source);
            string type = d.Type ?? throw context.Error(dpath + ".type", "required: the type directory name, as in mdev_supported_types (for example \"nvidia-222\")");
            TypeModel? model = null;
            if (driver is not null)
            {
                model = types.FirstOrDefault(t => driver + "-" + t.Name == type)
                    ?? throw context.Error(dpath + ".type", $"\"{type}\" is not a type of this parent; its types are {string.Join(", ", types.Select(t => $"\"{driver}-{t.Name}\""))}");
            }

            var values = new List<KeyValuePair<string, string>>();
            foreach ((string key, string value) in d.Attributes ?? [])
            {
                if (driver is not null)
                {
                    AttributeModel a = attributes.FirstOrDefault(a => a.Key == key)
                        ?? throw context.Error($"{dpath}.attributes.{key}", $"\"{key}\" is not a device attribute of this parent (\"name\" or \"group/name\")");
                    if (a.Types is not null && !a.Types.Contains(model!.Name))
                    {
                        throw context.Error($"{dpath}.attributes.{key}", $"\"{key}\" is not an attribute of devices of type \"{type}\"");
                    }
                }

                if (value.Contains('\n', StringComparison.Ordinal))
                {
                    throw context.Error($"{dpath}.attributes.{key}", "must be a single line (the newline a read adds is not part of the value)");
                }

                values.Add(new(key, value));
            }

            devices.Add(new ActiveDeviceModel(dpath, uuid, type, values));
        }

        return devices;
    }
}
