using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Libvirt.Tests;

/// <summary><c>mdevsim run --udev</c>: the command sees a udev-managed host to libudev, in namespaces of its own.</summary>
public sealed class UdevRunTests : IDisposable
{
    private const string Uuid = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1007";

    // mdevsim gets its own TMPDIR, so the clean-up check sees only this test's leftovers.
    private readonly string _tmp = Directory.CreateTempSubdirectory("mdevsim-udev-tmp-").FullName;

    public void Dispose() => Directory.Delete(_tmp, recursive: true);

    private ProcessResult Run(params string[] args)
    {
        FuseTestMount.RequireFuse();
        return ProcessRunner.Run(Mdevsim.Executable, args, TimeSpan.FromSeconds(90), environment: new Dictionary<string, string> { ["TMPDIR"] = _tmp });
    }

    private static string CallersNetworkNamespace() => ProcessRunner.Bash("readlink /proc/self/ns/net").Stdout;

    [Fact]
    public void Run_with_udev_exports_SYSTEMD_DEVICE_VERIFY_SYSFS_0_and_gives_a_private_run_udev_holding_control()
    {
        string[] before = Directory.GetFileSystemEntries("/run");

        ProcessResult r = Run("run", "--udev", "--", "sh", "-c", "echo \"$SYSTEMD_DEVICE_VERIFY_SYSFS\"; ls -A /run/udev; grep -c ' /run[/a-z]* tmpfs ' /proc/self/mounts");

        r.Should().Be(new ProcessResult(0, "0\ncontrol\n1\n", ""));
        Directory.GetFileSystemEntries("/run").Should().BeEquivalentTo(before, "the private /run/udev is made inside the namespace only");
        File.ReadAllText("/proc/self/mounts").Should().NotContain(_tmp).And.NotContain("mdevsim-udev").And.NotContain("mdevsim-run");
        Directory.GetFileSystemEntries(_tmp).Should().BeEmpty();
    }

    [Fact]
    public void Run_with_udev_keeps_the_rest_of_run_visible()
    {
        string[] entries = [.. Directory.GetFileSystemEntries("/run").Select(Path.GetFileName).Where(n => n is not "udev" and not "mount").Order(StringComparer.Ordinal)!];

        ProcessResult r = Run("run", "--udev", "--", "sh", "-c", "cd /run && ls -A | grep -v -x -e udev -e mount");

        r.ExitCode.Should().Be(0, r.Stderr);
        r.Stdout.Should().Be(string.Concat(entries.Select(e => e + "\n")));
    }

    [Fact]
    public void Run_with_udev_gives_the_command_a_network_namespace_other_than_the_callers()
    {
        string callers = CallersNetworkNamespace();

        ProcessResult r = Run("run", "--udev", "--", "readlink", "/proc/self/ns/net");

        r.ExitCode.Should().Be(0, r.Stderr);
        r.Stdout.Should().StartWith("net:[").And.NotBe(callers);
    }

    [Fact]
    public void Run_without_udev_changes_neither_network_namespace_nor_environment_nor_run_udev()
    {
        string callers = CallersNetworkNamespace();

        ProcessResult r = Run("run", "--", "sh", "-c", "readlink /proc/self/ns/net; echo \"[$SYSTEMD_DEVICE_VERIFY_SYSFS]\"; test -e /run/udev/control && echo control");

        r.Stdout.Should().Be(callers + "[]\n" + (File.Exists("/run/udev/control") ? "control\n" : ""));
    }

    [Fact]
    public void Run_with_udev_keeps_dev_stdin_usable()
    {
        FuseTestMount.RequireFuse();

        ProcessResult r = ProcessRunner.Run(Mdevsim.Executable, ["run", "--udev", "--", "sh", "-c", "cat /dev/stdin; test -c /dev/null && test -c /dev/urandom && echo devices"], TimeSpan.FromSeconds(90), stdin: "from the caller\n");

        r.Should().Be(new ProcessResult(0, "from the caller\ndevices\n", ""));
    }

    [Fact]
    public void Udevadm_info_on_an_mdev_shows_its_path_subsystem_and_driver()
    {
        string create = $"echo {Uuid} > /sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2/create";

        ProcessResult r = Run("run", "--udev", "--", "sh", "-c", $"{create} && udevadm info /sys/bus/mdev/devices/{Uuid}");

        r.ExitCode.Should().Be(0, r.Stderr);
        r.Stdout.Split('\n').Should().Contain([
            $"P: /devices/virtual/mtty/mtty/{Uuid}",
            "U: mdev",
            $"E: DEVPATH=/devices/virtual/mtty/mtty/{Uuid}",
            "E: SUBSYSTEM=mdev",
            "E: DRIVER=mtty",
        ]);
    }
}
