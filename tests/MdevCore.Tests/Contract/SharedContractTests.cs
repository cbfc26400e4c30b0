using MdevCore.Mediated;
using MdevCore.Testing;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.Contract;

/// <summary>The shared vendor-driver contract (MdevCore.Testing) against a vendor that counts its own pool of ports.</summary>
public sealed class VendorCountedPoolContractTests : VendorDriverContractTests
{
    protected override Errno ExhaustedErrno => Errno.ENOSPC;

    protected override MdevParent RegisterParent(MdevHost host) =>
        TestHosts.Register(host, TestHosts.AddVirtual(host), new PoolVendor(ports: 6));
}

/// <summary>The shared contract against a vendor whose budget the core counts (MdevParentOptions.MaxInstances).</summary>
public sealed class CoreCountedContractTests : VendorDriverContractTests
{
    protected override Errno ExhaustedErrno => Errno.EUSERS;

    protected override MdevParent RegisterParent(MdevHost host) =>
        TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor(), maxInstances: 3);
}
