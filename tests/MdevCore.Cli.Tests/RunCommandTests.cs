using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Cli.Tests;

/// <summary><c>mdevsim run</c> as a black box: namespace, exit codes, clean-up.</summary>
public sealed class RunCommandTests : IDisposable
{
    // Each test gives mdevsim its own TMPDIR, so the clean-up checks see only this test's leftovers
    // (other test classes run mdevsim and mount FUSE in parallel).
    private readonly string _tmp = Directory.CreateTempSubdirectory("mdevsim-test-tmp-").FullName;

    public void Dispose() => Directory.Delete(_tmp, recursive: true);

    private ProcessResult Run(params string[] args)
    {
        FuseTestMount.RequireFuse();
        return ProcessRunner.Run(Mdevsim.Executable, args, TimeSpan.FromSeconds(90), environment: new Dictionary<string, string> { ["TMPDIR"] = _tmp });
    }

    private void AssertNothingLeft()
    {
        File.ReadAllText("/proc/self/mounts").Should().NotContain(_tmp);
        Directory.GetFileSystemEntries(_tmp).Should().BeEmpty();
    }

    [Fact]
    public void Run_CommandSeesTheSimulatedSys()
    {
        ProcessResult r = Run("run", "--", "sh", "-c", "ls /sys; readlink /sys/class/mdev_bus/mtty; grep -c ' /sys fuse.mdevsim ' /proc/self/mounts");

        r.Should().Be(new ProcessResult(0, "bus\nclass\ndevices\nkernel\n../../devices/virtual/mtty/mtty\n1\n", ""));
    }

    [Fact]
    public void Run_ExitsWithTheCommandsExitCode()
    {
        Run("run", "--", "sh", "-c", "exit 7").ExitCode.Should().Be(7);
    }

    [Fact]
    public void Run_CommandKilledBySignal_Exits128PlusSignalAndLeavesNothingBehind()
    {
        ProcessResult r = Run("run", "--", "sh", "-c", "sleep 31.5 & kill -9 $$");

        r.ExitCode.Should().Be(137);
        ProcessRunner.Bash("pgrep -f '^sleep 31.5$' || true").Stdout.Should().BeEmpty("the PID namespace ends with the server");
        AssertNothingLeft();
    }

    [Fact]
    public void Run_BackgroundProcessesOfTheCommand_AreEndedWithIt()
    {
        ProcessResult r = Run("run", "--", "sh", "-c", "sleep 31.6 & exit 0");

        r.ExitCode.Should().Be(0);
        ProcessRunner.Bash("pgrep -f '^sleep 31.6$' || true").Stdout.Should().BeEmpty();
        AssertNothingLeft();
    }

    [Fact]
    public void Run_Sigterm_IsPassedToTheCommandAndEverythingIsCleanedUp()
    {
        FuseTestMount.RequireFuse();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        // SIGTERM goes to the supervisor once the command runs (a signal during the runtime's start-up would
        // kill the supervisor before it can pass anything on); the command's death by SIGTERM is the exit code.
        ProcessResult r = ProcessRunner.Run("bash", ["-c", $"{Mdevsim.Executable} run -- sleep 31.7 & pid=$!; for i in $(seq 1 600); do pgrep -f '^[^ ]*sleep 31.7$' >/dev/null && break; sleep 0.05; done; kill -TERM $pid; wait $pid; echo rc=$?"],
            TimeSpan.FromSeconds(60), environment: new Dictionary<string, string> { ["TMPDIR"] = _tmp });

        r.Stdout.Should().Be("rc=143\n");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15));
        ProcessRunner.Bash("pgrep -f 'sleep 31.7$' || true").Stdout.Should().BeEmpty();
        AssertNothingLeft();
    }

    [Fact]
    public void Run_LeavesNoMountOrTemporaryDirectory()
    {
        Run("run", "--", "true").ExitCode.Should().Be(0);

        AssertNothingLeft();
    }

    [Fact]
    public void Run_FreshEtcHasTheScriptDirectoriesAndNoConfigs()
    {
        ProcessResult r = Run("run", "--", "sh", "-c", "cd /etc/mdevctl.d && find . | sort");

        r.Stdout.Should().Be(".\n./scripts.d\n./scripts.d/callouts\n./scripts.d/notifiers\n");
    }

    [Fact]
    public void Run_EtcOption_BindsTheGivenDirectory()
    {
        string etc = Directory.CreateTempSubdirectory("mdevsim-test-etc-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(etc, "marker"), "mine\n");

            ProcessResult r = Run("run", "--etc", etc, "--", "cat", "/etc/mdevctl.d/marker");

            r.Should().Be(new ProcessResult(0, "mine\n", ""));
        }
        finally
        {
            Directory.Delete(etc, recursive: true);
        }
    }

    [Fact]
    public void Run_UnknownCommand_Exits127WithAMessage()
    {
        ProcessResult r = Run("run", "--", "/nonexistent/program");

        r.ExitCode.Should().Be(127);
        r.Stderr.Should().StartWith("mdevsim run: cannot start '/nonexistent/program':");
    }

    [Fact]
    public void Run_BadTopology_NamesFileAndPath()
    {
        string file = Path.Combine(Path.GetTempPath(), $"mdevsim-bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{ "parents": [ { "virtual": { "class": "mtty" }, "types": [ { "name": "1", "max_instances": 1 } ] } ] }""");
        try
        {
            ProcessResult r = Run("run", "--topology", file, "--", "true");

            r.ExitCode.Should().Be(1);
            r.Stderr.Should().Be($"mdevsim: bad topology: {file}: $.parents[0].types[0].device_api: required: \"vfio-pci\", \"vfio-ccw\", \"vfio-ap\", ...\n");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Run_WithoutCommand_IsAnArgumentError()
    {
        ProcessResult r = Run("run");

        r.ExitCode.Should().NotBe(0);
        r.Stderr.Should().Contain("command");
    }

    [Fact]
    public void Run_NotRoot_SaysSoClearly()
    {
        ProcessResult r = ProcessRunner.Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", Mdevsim.Executable, "run", "--", "true"]);

        r.Should().Be(new ProcessResult(1, "", "mdevsim run: needs root: it mounts the simulated /sys over /sys in a private mount namespace. Run it with sudo.\n"));
    }

    [Fact]
    public void Run_EtcOption_inside_TMPDIR_is_bound_and_the_command_sees_the_real_TMPDIR()
    {
        string etc = Directory.CreateDirectory(Path.Combine(_tmp, "etc")).FullName;
        File.WriteAllText(Path.Combine(etc, "marker"), "mine\n");

        ProcessResult r = Run("run", "--etc", etc, "--", "sh", "-c", $"cat /etc/mdevctl.d/marker; cat {etc}/marker");

        // Without the server's tmpfs unmounted again, TMPDIR would be empty for the command.
        r.Should().Be(new ProcessResult(0, "mine\nmine\n", ""));
    }

    [Fact]
    public void Run_uevents_writes_every_uevent_of_the_run_as_json_lines()
    {
        const string Uuid = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001";
        const string Type = "/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2";
        string file = Path.Combine(_tmp, "uevents.jsonl");

        ProcessResult r = Run("run", "--uevents", file, "--", "sh", "-c", $"echo {Uuid} > {Type}/create && echo 1 > /sys/bus/mdev/devices/{Uuid}/remove");

        r.ExitCode.Should().Be(0, r.Stderr);
        string[] lines = File.ReadAllLines(file);
        var events = lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        // From the host's first event (building it) to the last, numbered without a gap, shaped as demo --json.
        events.Select(e => e.GetProperty("seqnum").GetInt64()).Should().Equal(Enumerable.Range(1, events.Count).Select(i => (long)i));
        events.Should().AllSatisfy(e => e.EnumerateObject().Select(p => p.Name).Should().StartWith(["seqnum", "action", "devpath"]).And.EndWith("env"));
        string devpath = $"/devices/virtual/mtty/mtty/{Uuid}";
        var mine = events.Where(e => e.GetProperty("devpath").GetString() == devpath).Select(e => e.GetProperty("action").GetString()).ToList();
        mine.First().Should().Be("add");
        mine.Last().Should().Be("remove");
        events.Where(e => e.GetProperty("devpath").GetString() == devpath).Should().AllSatisfy(e =>
            e.GetProperty("env").GetProperty("SEQNUM").GetString().Should().Be(e.GetProperty("seqnum").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        events.Count(e => e.GetProperty("devpath").GetString() != devpath).Should().BeGreaterThan(0, "the events of building the host come first");
    }

    [Fact]
    public void Run_uevents_into_a_missing_directory_fails_before_anything_runs()
    {
        string file = Path.Combine(_tmp, "missing", "uevents.jsonl");

        ProcessResult r = Run("run", "--uevents", file, "--", "true");

        r.ExitCode.Should().Be(1);
        r.Stderr.Should().StartWith($"mdevsim run: --uevents {file}: open: ");
    }

    [Fact]
    public void Run_other_users_in_the_command_read_sys_but_cannot_write_what_is_roots()
    {
        const string Type = "/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-1";

        ProcessResult r = Run("run", "--", "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-c",
            $"cat {Type}/available_instances; echo 83b8f4f2-509f-382f-3c1e-e6bfe0fa1001 > {Type}/create");

        r.Should().Be(new ProcessResult(2, "24\n", $"sh: 1: cannot create {Type}/create: Permission denied\n"));
    }
}
