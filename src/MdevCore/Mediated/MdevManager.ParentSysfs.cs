using MdevCore.Diagnostics;
using MdevCore.Sysfs;

namespace MdevCore.Mediated;

/// <summary>A parent's sysfs files: the vendor's parent groups, <c>mdev_supported_types</c> and one directory per type (mdev_sysfs.c).</summary>
public sealed partial class MdevManager
{
    /// <summary>parent_create_sysfs_files: the vendor's parent groups, then the kset, then one directory per type
    /// (its attributes before it is linked in). The groups come first so that nothing that can still fail runs after a
    /// <c>create</c> file has appeared.</summary>
    private Errno CreateParentSysfs(MdevParent parent)
    {
        SysfsDirectory deviceDir = parent.Device.Directory!;
        var added = new List<AttributeGroup>();
        foreach (AttributeGroup group in parent.Tables.ParentGroups)
        {
            Errno error = _tree.AddGroup(deviceDir, group, parent.Device);
            if (error != Errno.None)
            {
                foreach (AttributeGroup undo in added)
                {
                    _tree.RemoveGroup(deviceDir, undo);
                }

                return error;
            }

            added.Add(group);
        }

        parent.ParentGroupsAdded = true;
        Result<SysfsDirectory> kset = _tree.CreateDirectory(deviceDir, "mdev_supported_types");
        if (!kset.TryGetValue(out SysfsDirectory? typesDir))
        {
            Log.DuplicateFilename(_logger, parent.Device.SysfsPath + "/mdev_supported_types");
            return kset.Error == Errno.EEXIST ? Errno.ENOMEM : kset.Error;
        }

        parent.TypesDirectory = typesDir;
        string prefix = parent.Device.DriverString;
        IReadOnlyList<MdevTypeInfo> infos = parent.Tables.Types;
        var types = new MdevType[infos.Count];
        for (int i = 0; i < infos.Count; i++)
        {
            types[i] = new MdevType(parent, infos[i], prefix + "-" + infos[i].SysfsName);
        }

        // The types are known before any of their directories is visible (the 2021 NULL-parent fix).
        parent.SetTypes(types);
        foreach (MdevType type in types)
        {
            Result<SysfsDirectory> dir = _tree.CreateDirectory(typesDir, type.Id, TypeAttributes, type);
            if (!dir.Succeeded)
            {
                Log.DuplicateFilename(_logger, typesDir.FullPath + "/" + type.Id);
                return dir.Error;
            }

            type.Directory = dir.Value;
            type.DevicesDirectory = _tree.CreateDirectory(dir.Value, "devices", new TypeDevicesSource(type, Bus)).Value;
        }

        return Errno.None;
    }

    /// <summary>parent_remove_sysfs_files: vendor parent groups, then the type directories and the kset.</summary>
    private void RemoveParentSysfs(MdevParent parent)
    {
        if (parent.ParentGroupsAdded)
        {
            foreach (AttributeGroup group in parent.Tables.ParentGroups)
            {
                _tree.RemoveGroup(parent.Device.Directory!, group);
            }

            parent.ParentGroupsAdded = false;
        }

        if (parent.TypesDirectory is { } typesDir)
        {
            _tree.Remove(typesDir);
            parent.TypesDirectory = null;
        }
    }
}
