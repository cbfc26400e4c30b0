using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Reliability.Faults;

namespace MdevCore.Reliability.Stress;

/// <summary>One PCI address of a <see cref="StressHost"/>: its device comes and goes, and is a parent or not.</summary>
/// <param name="address">The PCI address.</param>
/// <param name="vendor">The vendor driver registered for the device.</param>
public sealed class StressSlot(string address, FaultyVendor vendor)
{
    private Device? _device;

    /// <summary>The PCI address, e.g. <c>0000:00:10.0</c>.</summary>
    public string Address { get; } = address;

    /// <summary>The vendor driver (one per slot, reused by every registration of the slot).</summary>
    public FaultyVendor Vendor { get; } = vendor;

    /// <summary>The sysfs path of the device.</summary>
    public string SysfsPath => "/sys/bus/pci/devices/" + Address;

    /// <summary>The device last added at the address (it may have been deleted since).</summary>
    public Device? Device => Volatile.Read(ref _device);

    /// <summary>The <c>create</c> file of the slot's type <paramref name="type"/> (1 or 2).</summary>
    /// <param name="type">The vendor's type name.</param>
    /// <returns>The path.</returns>
    public string CreatePath(int type) => TypePath(type) + "/create";

    /// <summary>The directory of the slot's type <paramref name="type"/> (1 or 2).</summary>
    /// <param name="type">The vendor's type name.</param>
    /// <returns>The path.</returns>
    public string TypePath(int type) => $"{SysfsPath}/mdev_supported_types/i915-{type}";

    internal void Publish(Device device) => Volatile.Write(ref _device, device);

    internal void Retire(Device device) => _ = Interlocked.CompareExchange(ref _device, null, device);

    internal MdevParent? FindParent(MdevHost host) =>
        Device is { } device && host.Mdev.TryGetParent(device, out MdevParent? parent) ? parent : null;
}
