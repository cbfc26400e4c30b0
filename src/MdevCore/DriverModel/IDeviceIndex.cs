namespace MdevCore.DriverModel;

/// <summary>
/// Finds a bus's indexed devices (<see cref="Device.IsIndexed"/>) by name, for the bus's <c>devices/</c>, its drivers'
/// directories and the parents' directories, which render these devices instead of storing them.
/// </summary>
/// <remarks>Called with the sysfs tree lock held: implementations take no lock ranked above it.</remarks>
internal interface IDeviceIndex
{
    /// <summary>The indexed device named <paramref name="name"/>, registered or not, or <see langword="null"/>.</summary>
    Device? Find(ReadOnlySpan<char> name);

    /// <summary>Every indexed device, registered or not.</summary>
    IEnumerable<Device> Devices { get; }
}
