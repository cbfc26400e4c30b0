using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Cli.Tests;

/// <summary><c>mdevsim tree</c>: the simulated sysfs as text.</summary>
public sealed class TreeCommandTests
{
    [Fact]
    public void Tree_PrintsASubtree()
    {
        ProcessResult r = Mdevsim.Run("tree", "--path", "/sys/class/mdev_bus");

        r.Should().Be(new ProcessResult(0, "D /sys/class/mdev_bus\nL /sys/class/mdev_bus/mtty -> ../../devices/virtual/mtty/mtty\n", ""));
    }
}
