namespace MdevCore.DriverModel;

/// <summary>The identity of a simulated PCI function, as its config space header reports it.</summary>
/// <param name="Vendor">Vendor id, for example 0x8086.</param>
/// <param name="Device">Device id.</param>
/// <param name="ClassCode">24-bit class code, for example 0x030000 for a VGA controller.</param>
/// <param name="SubsystemVendor">Subsystem vendor id.</param>
/// <param name="SubsystemDevice">Subsystem device id.</param>
/// <param name="Revision">Revision id.</param>
/// <remarks>Thread safety: immutable.</remarks>
public readonly record struct PciIds(ushort Vendor, ushort Device, uint ClassCode, ushort SubsystemVendor = 0, ushort SubsystemDevice = 0, byte Revision = 0);
