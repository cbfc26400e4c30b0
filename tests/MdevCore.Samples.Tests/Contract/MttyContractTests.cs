using MdevCore.Mediated;
using MdevCore.Samples.Mtty;

namespace MdevCore.Samples.Tests.Contract;

public sealed class MttyContractTests : SampleDriverContractTests
{
    private readonly MttyDriver _driver = new();

    protected override string Name => "mtty";

    protected override Errno ExhaustedErrno => Errno.ENOSPC;

    protected override int Budget => 24;

    protected override ushort VendorId => 0x4348;

    protected override ushort DeviceId => 0x3253;

    protected override uint RegionCount => 9;

    protected override int CostOf(string sysfsName) => sysfsName == "2" ? 2 : 1;

    protected override MdevParent Load(MdevHost host) => _driver.Register(host).Value;

    protected override Errno Unload() => _driver.Unregister();

    protected override void FailAllocations(Errno fault) => _driver.AllocationFault = fault == Errno.None ? null : _ => fault;
}
