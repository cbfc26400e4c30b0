using MdevCore.Mediated;
using MdevCore.Samples.Mbochs;
using MdevCore.Samples.Mdpy;
using MdevCore.Samples.Mtty;
using MdevCore.Testing;

namespace MdevCore.Samples.Tests.Contract;

/// <summary>The shared contract of MdevCore.Testing, which every third-party driver runs too, against mtty.</summary>
public sealed class MttySharedContractTests : VendorDriverContractTests
{
    protected override Errno ExhaustedErrno => Errno.ENOSPC;

    protected override MdevParent RegisterParent(MdevHost host) => new MttyDriver().Register(host).Value;
}

/// <summary>The shared contract against mdpy (a budget the core counts).</summary>
public sealed class MdpySharedContractTests : VendorDriverContractTests
{
    protected override Errno ExhaustedErrno => Errno.EUSERS;

    protected override MdevParent RegisterParent(MdevHost host) => new MdpyDriver().Register(host).Value;
}

/// <summary>The shared contract against mbochs (a memory pool the driver counts).</summary>
public sealed class MbochsSharedContractTests : VendorDriverContractTests
{
    protected override Errno ExhaustedErrno => Errno.ENOSPC;

    protected override MdevParent RegisterParent(MdevHost host) => new MbochsDriver().Register(host).Value;
}
