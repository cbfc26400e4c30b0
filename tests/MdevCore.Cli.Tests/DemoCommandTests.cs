using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Cli.Tests;

/// <summary><c>mdevsim demo</c>: the in-process walk-through.</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public void Demo_RunsWithoutRootOrFuseAndRemovesEverything()
    {
        ProcessResult r = Mdevsim.Run("demo");

        r.ExitCode.Should().Be(0);
        r.Stdout.Should().Contain("EEXIST (File exists)").And.Contain("mdevs left: 0; available_instances of mtty-2: 12");
        r.Stdout.Should().Contain("config space: vendor 4348, device 3253")
            .And.Contain("UART 0 (BAR0): sent \"hello, mdev\", received \"hello, mdev\" (loopback)", "the demo drives the mtty device through VFIO");
    }
}
