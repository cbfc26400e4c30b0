using MdevCore.Mediated;
using MdevCore.Samples.Mbochs;

namespace MdevCore.Samples.Tests.Contract;

public sealed class MbochsContractTests : SampleDriverContractTests
{
    private readonly MbochsDriver _driver = new();

    protected override string Name => "mbochs";

    protected override Errno ExhaustedErrno => Errno.ENOSPC;

    protected override int Budget => 256;

    protected override ushort VendorId => 0x1234;

    protected override ushort DeviceId => 0x1111;

    protected override uint RegionCount => 10;

    protected override int CostOf(string sysfsName) => sysfsName switch
    {
        "small" => 4,
        "medium" => 16,
        _ => 64,
    };

    protected override MdevParent Load(MdevHost host) => _driver.Register(host).Value;

    protected override Errno Unload() => _driver.Unregister();

    protected override void FailAllocations(Errno fault) => _driver.AllocationFault = fault == Errno.None ? null : _ => fault;
}
