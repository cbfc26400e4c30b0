using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Cli.Tests;

/// <summary><c>mdevsim run</c> as mdevctl and umockdev-run users call it: options after the command are the command's,
/// <c>-v</c> shows what the command made the host do, <c>--etc</c> accepts an empty directory.</summary>
public sealed class RunCommandLineTests
{
    private const string Uuid = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1007";

    private static ProcessResult Run(params string[] args)
    {
        Mdevsim.RequireMdevctl();
        return Mdevsim.Run(args);
    }

    [Fact]
    public void Run_OptionsAfterTheCommand_BelongToTheCommand()
    {
        ProcessResult r = Run("run", "mdevctl", "start", "-p", "mtty", "-t", "mtty-2", "-u", Uuid);

        r.Should().Be(new ProcessResult(0, "", ""), "-t is mdevctl's --type here, not mdevsim's --topology");
    }

    [Fact]
    public void Run_OptionsBeforeTheCommand_AreMdevsims()
    {
        ProcessResult r = Run("run", "-t", "nvidia-vgpu", "mdevctl", "types", "-p", "0000:42:00.0");

        r.ExitCode.Should().Be(0, r.Stderr);
        r.Stdout.Should().StartWith("0000:42:00.0\n  nvidia-222\n").And.NotContain("0000:41:00.0");
    }

    [Fact]
    public void Run_DoubleDash_StillEndsTheOptions()
    {
        Run("run", "--", "mdevctl", "start", "-p", "mtty", "-t", "mtty-2", "-u", Uuid).Should().Be(new ProcessResult(0, "", ""));
    }

    [Fact]
    public void Run_Verbose_LogsWhatTheCommandMadeTheHostDoToStderr()
    {
        ProcessResult r = Run("-v", "run", "mdevctl", "start", "-p", "mtty", "-t", "mtty-2", "-u", Uuid);

        r.ExitCode.Should().Be(0, r.Stderr);
        r.Stdout.Should().BeEmpty();
        r.Stderr.Should().Contain($"mdevsim: debug: MDEV: created {Uuid} of type mtty-2\n")
            .And.MatchRegex($@"mdevsim: uevent \d+: add /devices/virtual/mtty/mtty/{Uuid} SUBSYSTEM=mdev\n");
    }

    [Fact]
    public void Run_EtcOption_OnAnEmptyDirectory_CreatesWhatMdevctlNeeds()
    {
        string etc = Directory.CreateTempSubdirectory("mdevsim-test-etc-").FullName;
        try
        {
            ProcessResult r = Run("run", "--etc", etc, "mdevctl", "define", "-p", "mtty", "-t", "mtty-2", "-u", Uuid);

            r.Should().Be(new ProcessResult(0, "", ""));
            Directory.Exists(Path.Combine(etc, "scripts.d", "callouts")).Should().BeTrue();
            Directory.Exists(Path.Combine(etc, "scripts.d", "notifiers")).Should().BeTrue();
            File.Exists(Path.Combine(etc, "mtty", Uuid)).Should().BeTrue("mdevctl defined the device in the given directory");
        }
        finally
        {
            Directory.Delete(etc, recursive: true);
        }
    }

    [Fact]
    public void Run_EtcOption_MissingDirectory_NamesThePathAndTheOperation()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"mdevsim-no-etc-{Guid.NewGuid():N}");

        Run("run", "--etc", missing, "true").Should().Be(new ProcessResult(1, "", $"mdevsim run: --etc {missing}: stat: ENOENT (No such file or directory)\n"));
    }
}
