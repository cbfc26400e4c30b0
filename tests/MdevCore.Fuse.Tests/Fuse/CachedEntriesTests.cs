using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Fuse.Tests.Fuse;

/// <summary>The experimental entry cache: a long entry timeout with invalidation must still show removals at once.</summary>
public sealed class CachedEntriesTests : IDisposable
{
    private const string Uuid = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001";
    private readonly FuseTestMount _mnt = new(options: new FuseMountOptions { EntryTimeout = TimeSpan.FromMinutes(5), StopTimeout = TimeSpan.FromSeconds(5) });

    private string Type2 => _mnt["/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2"];

    public void Dispose() => _mnt.Dispose();

    [Fact]
    public void RemoveThenCreateAgain_IsSeenAtOnceEveryTime()
    {
        ProcessResult r = ProcessRunner.Bash($"""
            for i in $(seq 1 20); do
              echo {Uuid} > {Type2}/create || exit 1
              cat {_mnt.Dir}/bus/mdev/devices/{Uuid}/mdev_type/name > /dev/null || exit 2
              readlink {_mnt.Dir}/bus/mdev/devices/{Uuid} > /dev/null || exit 3
              echo 1 > {_mnt.Dir}/bus/mdev/devices/{Uuid}/remove || exit 4
              test -e {_mnt.Dir}/bus/mdev/devices/{Uuid} && exit 5
              test -e {Type2}/devices/{Uuid} && exit 6
              cat {_mnt.Dir}/bus/mdev/devices/{Uuid}/mdev_type/name 2>/dev/null && exit 7
            done
            echo ok
            """, TimeSpan.FromSeconds(60));

        r.Should().Be(new ProcessResult(0, "ok\n", ""));
    }

    [Fact]
    public void InProcessRemoval_IsSeenAfterRevalidate()
    {
        ProcessRunner.Bash($"echo {Uuid} > {Type2}/create && test -e {_mnt.Dir}/bus/mdev/devices/{Uuid}").ExitCode.Should().Be(0);

        _mnt.Host.Mdev.RemoveDevice(Guid.Parse(Uuid)).Should().Be(Errno.None);
        int invalidated = _mnt.Mount.Revalidate();

        invalidated.Should().BeGreaterThan(0);
        ProcessRunner.Bash($"test -e {_mnt.Dir}/bus/mdev/devices/{Uuid} || echo gone").Stdout.Should().Be("gone\n");
    }

    [Fact]
    public void RepeatedOpens_DoNotLookUpAgain()
    {
        string path = _mnt["/sys/bus/mdev/drivers_autoprobe"];
        ProcessRunner.Bash($"cat {path}").ExitCode.Should().Be(0);
        long before = _mnt.Mount.RequestCount;

        ProcessRunner.Bash($"cat {path}; cat {path}").Stdout.Should().Be("1\n1\n");

        // Per cat: OPEN, two READs (to EOF), at most one GETATTR; uncached, each adds three LOOKUPs (14 in all).
        (_mnt.Mount.RequestCount - before).Should().BeLessThanOrEqualTo(8, "the path walk is cached");
    }
}
