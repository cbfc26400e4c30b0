using MdevCore;
using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Testing;

namespace VendorNamespace.Tests;

/// <summary>Runs every check of the vendor-driver contract (MdevCore.Testing.Xunit.v3) against the driver, one test case each.</summary>
public sealed class VendorClassContractTests : VendorDriverContractTests
{
    protected override Errno ExhaustedErrno => Errno.ENOSPC;

    protected override MdevParent RegisterParent(MdevHost host)
    {
        Device device = host.DeviceModel.AddPciDevice("0000:00:04.0", new PciIds(0x1af4, 0x10f0, 0x120000)).Value;
        return host.Mdev.RegisterParent(device, new VendorClassDriver()).Value;
    }
}
