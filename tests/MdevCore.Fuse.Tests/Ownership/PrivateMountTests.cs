using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Fuse.Tests.Ownership;

/// <summary>A mount with the default options: nobody but the mounting user can see it at all.</summary>
public sealed class PrivateMountTests : IDisposable
{
    private readonly FuseTestMount _mnt = new();

    public void Dispose() => _mnt.Dispose();

    [Fact]
    public void AllowOther_is_off_by_default()
    {
        new FuseMountOptions().AllowOther.Should().BeFalse();
        _mnt.Mount.AllowsOtherUsers.Should().BeFalse();
        File.ReadAllLines("/proc/self/mountinfo").Single(l => l.Split(' ')[4] == _mnt.Dir).Should().NotContain("allow_other");
    }

    [Fact]
    public void Another_user_cannot_see_the_mount_at_all()
    {
        string name = _mnt["/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2/name"];

        ProcessResult r = Setpriv.Bash($"ls {_mnt.Dir}; cat {name}");

        r.ExitCode.Should().Be(1);
        r.Stdout.Should().BeEmpty();
        r.Stderr.Should().Be($"ls: cannot access '{_mnt.Dir}': Permission denied\ncat: {name}: Permission denied\n");
    }

    [Fact]
    public void The_mounting_user_reads_it()
    {
        ProcessRunner.Bash($"cat {_mnt["/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2/name"]}").Stdout.Should().Be("Dual port serial\n");
    }
}
