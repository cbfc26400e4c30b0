using System.Collections.Frozen;

namespace MdevCore.Topology;

/// <summary>The declarative driver's types and attributes.</summary>
public static partial class TopologyLoader
{
    // Names the core itself puts in an mdev's directory; a declarative attribute may not shadow them.
    private static readonly FrozenSet<string> ReservedDeviceNames = FrozenSet.Create(StringComparer.Ordinal,
        "remove", "mdev_type", "uevent", "driver", "subsystem", "iommu_group", "power", "vfio-dev");

    // Names the core and driver model put in a parent device's directory.
    private static readonly FrozenSet<string> ReservedParentNames = FrozenSet.Create(StringComparer.Ordinal,
        "mdev_supported_types", "uevent", "driver", "subsystem", "iommu_group", "power", "driver_override", "modalias");

    private static List<TypeModel> ValidateTypes(ParentSpec spec, string path, LoadContext context, out List<FaultModel> createErrors)
    {
        if (spec.Types is null || spec.Types.Count == 0)
        {
            throw context.Error(path + ".types", "required: a non-empty array of types");
        }

        var types = new List<TypeModel>();
        createErrors = [];
        for (int i = 0; i < spec.Types.Count; i++)
        {
            string tpath = $"{path}.types[{i}]";
            TypeSpec t = spec.Types[i] ?? throw context.Error(tpath, "a type must be an object");
            string tname = t.Name ?? throw context.Error(tpath + ".name", "required: the type's sysfs name after the driver prefix");
            CheckName(tname, tpath + ".name", context.Source);
            if (types.Any(x => x.Name == tname))
            {
                throw context.Error(tpath + ".name", $"type \"{tname}\" appears twice");
            }

            string api = t.DeviceApi ?? throw context.Error(tpath + ".device_api", "required: \"vfio-pci\", \"vfio-ccw\", \"vfio-ap\", ...");
            if (api.Length == 0 || api.Contains('\n', StringComparison.Ordinal))
            {
                throw context.Error(tpath + ".device_api", "must be a non-empty single line");
            }

            if (t.PrettyName is { } pretty && (pretty.Length == 0 || pretty.Contains('\n', StringComparison.Ordinal)))
            {
                throw context.Error(tpath + ".pretty_name", "must be a non-empty single line");
            }

            if (t.MaxInstances is < 0)
            {
                throw context.Error(tpath + ".max_instances", "must be zero or more");
            }

            if (t.MaxInstances is null && spec.SharedInstances is null)
            {
                throw context.Error(tpath, "no instance budget: give the type \"max_instances\" or the parent \"shared_instances\"");
            }

            if (t.Cost is < 1)
            {
                throw context.Error(tpath + ".cost", "must be 1 or more");
            }

            if (t.CreateError is { } err)
            {
                createErrors.Add(new FaultModel(tpath + ".create_error", FaultPath.Create, ParseErrno(err, tpath + ".create_error", context.Source), 0, 0, null, tname, null));
            }

            types.Add(new TypeModel(tname, t.PrettyName, t.Description, api, t.MaxInstances, t.Cost ?? 1));
        }

        return types;
    }

    private static List<AttributeModel> ValidateAttributes(List<AttributeSpec?>? specs, string path, IReadOnlyList<TypeModel> types, LoadContext context, bool perDevice)
    {
        var attributes = new List<AttributeModel>();
        for (int i = 0; specs is not null && i < specs.Count; i++)
        {
            string apath = $"{path}[{i}]";
            AttributeSpec a = specs[i] ?? throw context.Error(apath, "an attribute must be an object");
            string aname = a.Name ?? throw context.Error(apath + ".name", "required: the file name");
            CheckName(aname, apath + ".name", context.Source);
            if (a.Group is { } group)
            {
                CheckName(group, apath + ".group", context.Source);
            }

            string top = a.Group ?? aname;
            if ((perDevice ? ReservedDeviceNames : ReservedParentNames).Contains(top))
            {
                throw context.Error(apath + (a.Group is null ? ".name" : ".group"), $"\"{top}\" is created by the mdev core or the driver model itself");
            }

            if (attributes.Any(x => x.Group == a.Group && x.Name == aname))
            {
                throw context.Error(apath + ".name", $"attribute \"{(a.Group is null ? aname : a.Group + "/" + aname)}\" appears twice");
            }

            AttributeAccess access = a.Access switch
            {
                "ro" => AttributeAccess.ReadOnly,
                "wo" => AttributeAccess.WriteOnly,
                "rw" => AttributeAccess.ReadWrite,
                null => throw context.Error(apath + ".access", "required: \"ro\", \"wo\" or \"rw\""),
                _ => throw context.Error(apath + ".access", $"\"{a.Access}\" is not one of \"ro\", \"wo\" or \"rw\""),
            };
            HashSet<string>? only = null;
            if (a.Types is not null)
            {
                if (!perDevice)
                {
                    throw context.Error(apath + ".types", "a parent attribute belongs to the parent, not to devices of some types");
                }

                only = new HashSet<string>(StringComparer.Ordinal);
                for (int j = 0; j < a.Types.Count; j++)
                {
                    if (!types.Any(x => x.Name == a.Types[j]))
                    {
                        throw context.Error($"{apath}.types[{j}]", $"\"{a.Types[j]}\" is not a type of this parent");
                    }

                    _ = only.Add(a.Types[j]);
                }
            }

            attributes.Add(new AttributeModel(a.Group, aname, access, a.Value ?? "", only));
        }

        return attributes;
    }
}
