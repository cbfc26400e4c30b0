using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Cli.Tests;

/// <summary><c>mdevsim types</c>: parents and types as mdevctl lists them.</summary>
public sealed class TypesCommandTests
{
    [Fact]
    public void Types_PrintsTheTopologysTypes()
    {
        ProcessResult r = Mdevsim.Run("types", "--topology", Path.Combine(Mdevsim.Topologies, "vfio-ap.json"));

        r.Should().Be(new ProcessResult(0, "matrix\n  vfio_ap-passthrough\n    Available instances: 65536\n    Device API: vfio-ap\n    Name: VFIO AP Passthrough Device\n", ""));
    }
}
