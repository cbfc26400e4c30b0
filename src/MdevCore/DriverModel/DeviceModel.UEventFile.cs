using System.Text;
using MdevCore.Sysfs;

namespace MdevCore.DriverModel;

/// <summary>Every device's <c>uevent</c> file and default links: its variables on read, a synthetic event on write (uevent_show / uevent_store).</summary>
public sealed partial class DeviceModel
{
    /// <summary>Every device's <c>uevent</c> file: its variables on read, a synthetic event on write.</summary>
    internal static readonly SysfsAttribute UEventAttribute = SysfsAttribute.ReadWrite(
        "uevent",
        static owner => FormatUEventFile((Device)owner!),
        static (owner, data) => ((Device)owner!).Model?.SynthesizeUEvent((Device)owner!, data) ?? Errno.ENODEV);

    /// <summary>The links every device directory derives from the device: <c>subsystem</c>, <c>driver</c>, <c>iommu_group</c>.</summary>
    internal static readonly SysfsLinkGroup DeviceLinks = new(
        new SysfsLinkDefinition("subsystem", static owner => ((Device)owner!).Bus?.Directory ?? ((Device)owner!).Class?.Directory),
        new SysfsLinkDefinition("driver", static owner => ((Device)owner!).Driver?.Directory),
        new SysfsLinkDefinition("iommu_group", static owner => ((Device)owner!).IommuGroup?.Directory));

    /// <summary>The attributes of a plain device.</summary>
    internal static readonly AttributeGroup DefaultAttributes = new(null, [UEventAttribute]);

    private static Result<string> FormatUEventFile(Device device)
    {
        var env = new List<KeyValuePair<string, string>>();
        device.AddDeviceVariables(env, device.Driver?.Name);

        var sb = new StringBuilder();
        foreach (KeyValuePair<string, string> pair in env)
        {
            _ = sb.Append(pair.Key).Append('=').Append(pair.Value).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>A write to a device's <c>uevent</c> file raises that action (uevent_store, <see cref="SyntheticUEvent"/>).</summary>
    internal Errno SynthesizeUEvent(Device device, ReadOnlySpan<byte> data)
    {
        Errno error = SyntheticUEvent.Parse(data, Profile, out UEventAction action, out KeyValuePair<string, string>[]? variables);
        if (error != Errno.None || variables is null)
        {
            return error;
        }

        // Under the device lock, as device_del's kill_device: an event written while the device goes is either raised
        // before its remove or refused, never sent after it.
        lock (device.DeviceLock)
        {
            if (device.IsDead || !device.IsRegistered)
            {
                return Errno.ENODEV;
            }

            _uevents.Raise(device, action, variables.Length == 0 ? null : variables);
            return Errno.None;
        }
    }
}
