using MdevCore.Mediated;
using MdevCore.Samples.Mdpy;

namespace MdevCore.Samples.Tests.Contract;

public sealed class MdpyContractTests : SampleDriverContractTests
{
    private readonly MdpyDriver _driver = new();

    protected override string Name => "mdpy";

    protected override Errno ExhaustedErrno => Errno.EUSERS;

    protected override int Budget => 4;

    protected override ushort VendorId => 0x1b36;

    protected override ushort DeviceId => 0x000f;

    protected override uint RegionCount => 9;

    protected override int CostOf(string sysfsName) => 1;

    protected override MdevParent Load(MdevHost host) => _driver.Register(host).Value;

    protected override Errno Unload() => _driver.Unregister();

    protected override void FailAllocations(Errno fault) => _driver.AllocationFault = fault == Errno.None ? null : _ => fault;
}
