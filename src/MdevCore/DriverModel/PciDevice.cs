using System.Globalization;
using MdevCore.Sysfs;

namespace MdevCore.DriverModel;

/// <summary>A simulated PCI function, for example <c>0000:00:02.0</c>.</summary>
/// <remarks>Thread safety: thread-safe.</remarks>
public sealed class PciDevice : Device
{
    internal PciDevice(string address, PciIds ids, SysfsDirectory parentDirectory, Bus bus)
        : base(address, null, parentDirectory, bus, null)
    {
        Ids = ids;
    }

    /// <summary>The identity reported in config space and sysfs.</summary>
    public PciIds Ids { get; }

    internal static readonly AttributeGroup Attributes = new(null,
    [
        DeviceModel.UEventAttribute,
        SysfsAttribute.ReadOnly<PciDevice>("vendor", d => Hex4(d.Ids.Vendor)),
        SysfsAttribute.ReadOnly<PciDevice>("device", d => Hex4(d.Ids.Device)),
        SysfsAttribute.ReadOnly<PciDevice>("subsystem_vendor", d => Hex4(d.Ids.SubsystemVendor)),
        SysfsAttribute.ReadOnly<PciDevice>("subsystem_device", d => Hex4(d.Ids.SubsystemDevice)),
        SysfsAttribute.ReadOnly<PciDevice>("class", d => "0x" + d.Ids.ClassCode.ToString("x6", CultureInfo.InvariantCulture) + "\n"),
        SysfsAttribute.ReadOnly<PciDevice>("revision", d => "0x" + d.Ids.Revision.ToString("x2", CultureInfo.InvariantCulture) + "\n"),
    ]);

    internal override void AddDeviceVariables(List<KeyValuePair<string, string>> env, string? driverName)
    {
        base.AddDeviceVariables(env, driverName);
        PciIds ids = Ids;
        env.Add(new("PCI_CLASS", ids.ClassCode.ToString("X", CultureInfo.InvariantCulture)));
        env.Add(new("PCI_ID", string.Create(CultureInfo.InvariantCulture, $"{ids.Vendor:X4}:{ids.Device:X4}")));
        env.Add(new("PCI_SUBSYS_ID", string.Create(CultureInfo.InvariantCulture, $"{ids.SubsystemVendor:X4}:{ids.SubsystemDevice:X4}")));
        env.Add(new("PCI_SLOT_NAME", Name));
        env.Add(new("MODALIAS", string.Create(CultureInfo.InvariantCulture,
            $"pci:v{ids.Vendor:X8}d{ids.Device:X8}sv{ids.SubsystemVendor:X8}sd{ids.SubsystemDevice:X8}bc{(ids.ClassCode >> 16) & 0xff:X2}sc{(ids.ClassCode >> 8) & 0xff:X2}i{ids.ClassCode & 0xff:X2}")));
    }

    private static Result<string> Hex4(ushort value) => "0x" + value.ToString("x4", CultureInfo.InvariantCulture) + "\n";
}
