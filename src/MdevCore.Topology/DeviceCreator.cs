using System.Globalization;
using MdevCore.Mediated;

namespace MdevCore.Topology;

/// <summary>Creates a parent's pre-created devices as a user would: a write of the UUID to the type's <c>create</c> file
/// (same uevents, same errno), then the attribute values.</summary>
internal static class DeviceCreator
{
    public static void CreateAll(MdevHost host, MdevParent parent, ParentModel model, string source)
    {
        foreach (ActiveDeviceModel device in model.Devices)
        {
            MdevType type = parent.Types.FirstOrDefault(t => t.Id == device.Type)
                ?? throw new TopologyException(source, device.JsonPath + ".type",
                    $"\"{device.Type}\" is not a type of parent \"{parent.Device.Name}\"; its types are {string.Join(", ", parent.Types.Select(t => $"\"{t.Id}\""))}");
            string uuid = device.Uuid.ToString("D", CultureInfo.InvariantCulture);
            if (parent.Ops is DeclarativeDriver declarative)
            {
                // Declarative values, read-only ones included, are the device's initial state.
                declarative.Preset(device.Uuid, device.Attributes);
            }

            Result<int> created = host.Sysfs.Write(type.SysfsPath + "/create", uuid);
            if (!created.Succeeded)
            {
                throw new TopologyException(source, device.JsonPath, $"creating {uuid} through {type.SysfsPath}/create failed: {created.Error} ({created.Error.Describe()})");
            }

            if (parent.Ops is DeclarativeDriver)
            {
                continue;
            }

            foreach ((string name, string value) in device.Attributes)
            {
                string file = "/sys/bus/mdev/devices/" + uuid + "/" + name;
                Result<int> written = host.Sysfs.Write(file, value + "\n");
                if (!written.Succeeded)
                {
                    throw new TopologyException(source, $"{device.JsonPath}.attributes.{name}", $"writing {file} failed: {written.Error} ({written.Error.Describe()})");
                }
            }
        }
    }
}
