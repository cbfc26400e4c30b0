using MdevCore.Mediated;
using MdevCore.Samples.Mtty;
using MdevCore.Samples.Tests.Support;

namespace MdevCore.Samples.Tests.Mtty;

internal static class MttyFixture
{
    public static (MdevHost Host, MttyDriver Driver, MdevType Single, MdevType Dual) Load(int ports = 24, KernelProfile profile = KernelProfile.Modern)
    {
        MdevHost host = Vmm.NewHost(profile);
        var driver = new MttyDriver(new MttyOptions { TotalPorts = ports });
        MdevParent parent = driver.Register(host).Value;
        return (host, driver, parent.Types[0], parent.Types[1]);
    }

    public static Vmm StartDual(int uuid = 1)
    {
        var (host, _, _, dual) = Load();
        return Vmm.Start(host, dual, Vmm.Uuid(uuid));
    }
}
