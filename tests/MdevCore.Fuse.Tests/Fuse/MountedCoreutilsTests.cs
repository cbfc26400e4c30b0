using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Fuse.Tests.Fuse;

/// <summary>A real FUSE mount served in-process, checked with real coreutils in child processes.</summary>
public sealed class MountedCoreutilsTests : IDisposable
{
    private const string Uuid = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001";
    private readonly FuseTestMount _mnt = new();

    private string Type2 => _mnt["/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2"];

    public void Dispose() => _mnt.Dispose();

    private static ProcessResult Sh(string script) => ProcessRunner.Bash(script, TimeSpan.FromSeconds(30));

    [Fact]
    public void Cat_Attribute_PrintsTheLiveValue()
    {
        ProcessResult r = Sh($"cat {Type2}/name {Type2}/available_instances");

        r.Should().Be(new ProcessResult(0, "Dual port serial\n12\n", ""));
    }

    [Fact]
    public void EchoToCreate_MakesTheDeviceVisibleAtOnce()
    {
        ProcessResult r = Sh($"echo {Uuid} > {Type2}/create && readlink {_mnt.Dir}/bus/mdev/devices/{Uuid} && cat {Type2}/available_instances");

        r.Should().Be(new ProcessResult(0, $"../../../devices/virtual/mtty/mtty/{Uuid}\n11\n", ""));
        _mnt.Host.Mdev.DeviceCount.Should().Be(1);
    }

    [Fact]
    public void EchoDuplicateToCreate_PrintsFileExists()
    {
        ProcessResult r = Sh($"echo {Uuid} > {Type2}/create; echo {Uuid} > {Type2}/create");

        r.ExitCode.Should().Be(1);
        r.Stderr.Should().Be("bash: line 1: echo: write error: File exists\n");
    }

    [Fact]
    public void EchoGarbageToCreate_PrintsInvalidArgument()
    {
        ProcessResult r = Sh($"echo not-a-uuid > {Type2}/create");

        r.Stderr.Should().Be("bash: line 1: echo: write error: Invalid argument\n");
    }

    [Fact]
    public void CatWriteOnlyAttribute_IsPermissionDenied()
    {
        ProcessResult r = Sh($"cat {Type2}/create");

        r.Should().Be(new ProcessResult(1, "", $"cat: {Type2}/create: Permission denied\n"));
    }

    [Fact]
    public void EchoToReadOnlyAttribute_IsPermissionDeniedEvenForRoot()
    {
        ProcessResult r = Sh($"echo 5 > {Type2}/available_instances");

        r.ExitCode.Should().Be(1);
        r.Stderr.Should().Be($"bash: line 1: {Type2}/available_instances: Permission denied\n");
    }

    [Fact]
    public void CreatingAFile_IsPermissionDenied()
    {
        ProcessResult r = Sh($"touch {Type2}/newfile");

        r.Should().Be(new ProcessResult(1, "", $"touch: cannot touch '{Type2}/newfile': Permission denied\n"));
    }

    [Fact]
    public void Mkdir_IsNotPermitted()
    {
        ProcessResult r = Sh($"mkdir {_mnt.Dir}/newdir");

        r.Should().Be(new ProcessResult(1, "", $"mkdir: cannot create directory '{_mnt.Dir}/newdir': Operation not permitted\n"));
    }

    [Fact]
    public void LsL_ShowsSysfsModesAndSizes()
    {
        ProcessResult r = Sh($"ls -l {Type2} | awk '{{print $1, $5, $9}}'");

        r.Stdout.Should().Be("""
            total  
            -r--r--r-- 4096 available_instances
            --w------- 4096 create
            -r--r--r-- 4096 device_api
            drwxr-xr-x 0 devices
            -r--r--r-- 4096 name

            """);
    }

    [Fact]
    public void Readlink_TargetsAreExactlyTheKernelsRelativeOnes()
    {
        Sh($"echo {Uuid} > {Type2}/create").ExitCode.Should().Be(0);

        ProcessResult r = Sh($"""
            cd {_mnt.Dir}
            readlink class/mdev_bus/mtty bus/mdev/devices/{Uuid} bus/mdev/devices/{Uuid}/mdev_type \
              class/mdev_bus/mtty/mdev_supported_types/mtty-2/devices/{Uuid}
            """);

        r.Stdout.Should().Be($"""
            ../../devices/virtual/mtty/mtty
            ../../../devices/virtual/mtty/mtty/{Uuid}
            ../mdev_supported_types/mtty-2
            ../../../{Uuid}

            """);
    }

    [Fact]
    public void Realpath_ThroughTheBusLink_ResolvesIntoTheParent()
    {
        Sh($"echo {Uuid} > {Type2}/create").ExitCode.Should().Be(0);

        ProcessResult r = Sh($"realpath {_mnt.Dir}/bus/mdev/devices/{Uuid}/mdev_type");

        r.Stdout.Should().Be($"{_mnt.Dir}/devices/virtual/mtty/mtty/mdev_supported_types/mtty-2\n");
    }

    [Fact]
    public void Find_ListsTheTypeDirectory()
    {
        ProcessResult r = Sh($"cd {Type2} && find . | sort");

        r.Stdout.Should().Be("""
            .
            ./available_instances
            ./create
            ./device_api
            ./devices
            ./name

            """);
    }

    [Fact]
    public void Remove_DeviceIsGoneForTheVeryNextRequest()
    {
        ProcessResult r = Sh($"""
            echo {Uuid} > {Type2}/create
            test -e {_mnt.Dir}/bus/mdev/devices/{Uuid} && echo present
            echo 1 > {_mnt.Dir}/bus/mdev/devices/{Uuid}/remove
            test -e {_mnt.Dir}/bus/mdev/devices/{Uuid} || echo gone
            echo {Uuid} > {Type2}/create && echo again
            """);

        r.Should().Be(new ProcessResult(0, "present\ngone\nagain\n", ""));
    }

    [Fact]
    public void DdAtOffset_ReturnsTheRestOfTheValue()
    {
        ProcessResult r = Sh($"dd if={Type2}/name bs=1 skip=5 status=none");

        r.Stdout.Should().Be("port serial\n");
    }

    [Fact]
    public void Stat_ReportsSize4096ForAnAttribute()
    {
        ProcessResult r = Sh($"stat -c '%s %a %F' {Type2}/name {Type2}/create");

        r.Stdout.Should().Be("4096 444 regular file\n4096 200 regular file\n");
    }

    [Fact]
    public void ShellTruncatingRedirect_OnWritableAttribute_Works()
    {
        // O_TRUNC (and a truncate request where not atomic) must not fail on a writable attribute.
        ProcessResult r = Sh($"truncate -s 0 {Type2}/create && echo ok");

        r.Should().Be(new ProcessResult(0, "ok\n", ""));
    }

    [Fact]
    public void ManyProcesses_ReadWhileDevicesComeAndGo_StayConsistent()
    {
        using var stop = new CancellationTokenSource();
        Task<ProcessResult>[] readers = [.. Enumerable.Range(0, 3).Select(_ => Task.Run(() => Sh($"""
            for i in $(seq 1 150); do
              v=$(cat {Type2}/available_instances) || exit 10
              case "$v" in 1[0-2]) ;; *) echo "bad value '$v'"; exit 11;; esac
              ls {_mnt.Dir}/bus/mdev/devices > /dev/null || exit 12
            done
            """)))];

        string create = Type2 + "/create";
        for (int i = 0; i < 100; i++)
        {
            Sh($"echo {Uuid} > {create} && echo 1 > {_mnt.Dir}/bus/mdev/devices/{Uuid}/remove").ExitCode.Should().Be(0);
            if (readers.All(t => t.IsCompleted))
            {
                break;
            }
        }

        Task.WaitAll(readers, TimeSpan.FromSeconds(60)).Should().BeTrue();
        foreach (Task<ProcessResult> reader in readers)
        {
            reader.Result.Should().Be(new ProcessResult(0, "", ""));
        }

        _mnt.Host.Mdev.DeviceCount.Should().Be(0);
        File.ReadAllText(Type2 + "/available_instances").Should().Be("12\n");
    }
}
