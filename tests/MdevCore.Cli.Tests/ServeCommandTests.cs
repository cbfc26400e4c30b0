using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Cli.Tests;

/// <summary><c>mdevsim serve</c> as a black box: mount, serve, unmount on a signal.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public void Serve_UntilSigterm_UnmountsCleanly()
    {
        FuseTestMount.RequireFuse();
        string dir = Directory.CreateTempSubdirectory("mdevsim-test-serve-").FullName;
        try
        {
            ProcessResult r = ProcessRunner.Bash($"""
                {Mdevsim.Executable} serve --mount {dir} 2>/dev/null & pid=$!
                for i in $(seq 1 100); do grep -q ' {dir} fuse.mdevsim ' /proc/mounts && break; sleep 0.1; done
                cat {dir}/class/mdev_bus/mtty/mdev_supported_types/mtty-1/available_instances
                kill -TERM $pid; wait $pid; echo "rc=$?"
                grep -c ' {dir} ' /proc/mounts
                """);

            r.Stdout.Should().Be("24\nrc=0\n0\n");
        }
        finally
        {
            _ = ProcessRunner.Run("umount", ["-l", dir]);
            Directory.Delete(dir);
        }
    }
}
