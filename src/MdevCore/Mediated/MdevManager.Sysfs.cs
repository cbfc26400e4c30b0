using MdevCore.DriverModel;
using MdevCore.Internal;
using MdevCore.Sysfs;

namespace MdevCore.Mediated;

/// <summary>The core's sysfs attributes: the five type attributes and the device's <c>remove</c>.</summary>
public sealed partial class MdevManager
{
    /// <summary>The attributes of every type directory; <c>description</c> only when the vendor describes types.</summary>
    private static readonly AttributeGroup TypeAttributes = new(
        null,
        [
            SysfsAttribute.WriteOnly("create", static (owner, data) => CreateStore((MdevType)owner!, data)),
            SysfsAttribute.ReadOnly<MdevType>("name", static t => t.Info.Name + "\n"),
            SysfsAttribute.ReadOnly<MdevType>("device_api", static t => t.Info.DeviceApi + "\n"),
            SysfsAttribute.ReadOnly<MdevType>("available_instances", static t => t.AvailableInstancesText),
            SysfsAttribute.ReadOnly<MdevType>("description", static t => ((IMdevTypeDescription)t.Parent.Ops).GetDescription(t)),
        ],
        static (owner, attribute) => attribute.Name != "description" || ((MdevType)owner!).Parent.Ops is IMdevTypeDescription);

    /// <summary><c>&lt;uuid&gt;/remove</c>.</summary>
    internal static readonly SysfsAttribute RemoveAttribute =
        SysfsAttribute.WriteOnly("remove", static (owner, data) => ((MdevDevice)owner!).MdevParent.Manager.RemoveStore((MdevDevice)owner!, data));

    /// <summary>The attributes every mdev has from device_add on (6.x <c>mdev_device_groups</c>).</summary>
    private static readonly AttributeGroup DeviceAttributes = new(null, [DeviceModel.UEventAttribute, RemoveAttribute]);

    /// <summary>create_store: exactly 36 or 37 bytes, the first 36 a UUID; the 37th is not looked at.</summary>
    private static Errno CreateStore(MdevType type, ReadOnlySpan<byte> data)
    {
        if (data.Length is < 36 or > 37)
        {
            return Errno.EINVAL;
        }

        if (!KernelParse.TryParseUuid(data, out Guid uuid))
        {
            return Errno.EINVAL;
        }

        return type.Parent.Manager.CreateDevice(type, uuid).Error;
    }
}
