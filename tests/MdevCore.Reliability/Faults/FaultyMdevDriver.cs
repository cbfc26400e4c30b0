using MdevCore.Mediated;

namespace MdevCore.Reliability.Faults;

/// <summary>An mdev bus driver whose probe and remove are the vendor's <c>Probe</c> and <c>DriverRemove</c> callbacks.</summary>
/// <param name="vendor">The vendor that counts and plans the calls.</param>
/// <param name="name">The driver's name on the mdev bus.</param>
public sealed class FaultyMdevDriver(FaultyVendor vendor, string name = "faulty_mdev") : IMdevDriver
{
    /// <inheritdoc/>
    public string Name => name;

    /// <inheritdoc/>
    public Errno Probe(MdevDevice mdev) => vendor.Hit("Probe", mdev);

    /// <inheritdoc/>
    public void Remove(MdevDevice mdev) => _ = vendor.Hit("DriverRemove", mdev);
}
