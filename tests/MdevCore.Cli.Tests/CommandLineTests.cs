using MdevCore.Cli.Tests.Support;
using MdevCore.Cli.CommandLine;
using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Cli.Tests;

/// <summary>Conventions every command follows: exit codes, usage errors, where options end, documentation links.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [MemberData(nameof(Repository.Commands), MemberType = typeof(Repository))]
    public void UnknownOption_IsAUsageError_Exit2WithAHint(string command)
    {
        ProcessResult r = Mdevsim.Run(command, "--no-such-option");

        r.ExitCode.Should().Be(ExitCodes.Usage);
        r.Stdout.Should().BeEmpty();
        r.Stderr.Should().Contain("mdevsim: Unrecognized command or argument '--no-such-option'.\n")
            .And.EndWith($"Try 'mdevsim {command} --help' for more information.\n");
    }

    [Fact]
    public void MissingOptionValue_IsAUsageError()
    {
        Mdevsim.Run("types", "--topology").ExitCode.Should().Be(2);
    }

    [Fact]
    public void NoCommand_PrintsTheUsageToStderrAndExits2()
    {
        ProcessResult r = Mdevsim.Run();

        r.ExitCode.Should().Be(2);
        r.Stdout.Should().BeEmpty();
        r.Stderr.Should().Contain("Usage:").And.Contain("Commands:");
    }

    [Fact]
    public void UnknownCommand_IsAUsageError()
    {
        ProcessResult r = Mdevsim.Run("nosuch");

        r.ExitCode.Should().Be(2);
        r.Stderr.Should().Contain("'nosuch'");
    }

    [Fact]
    public void FailedWork_Exits1()
    {
        Mdevsim.Run("tree", "--path", "/sys/nope").ExitCode.Should().Be(ExitCodes.Failure);
        Mdevsim.Run("demo", "--topology", "no-such-topology").ExitCode.Should().Be(ExitCodes.Failure);
    }

    [Theory]
    [InlineData("run mdevctl start -p mtty -t mtty-2", "run -- mdevctl start -p mtty -t mtty-2")]
    [InlineData("run -t nvidia-vgpu mdevctl types -p 0000:42:00.0", "run -t nvidia-vgpu -- mdevctl types -p 0000:42:00.0")]
    [InlineData("-v run --etc /tmp/e --single-threaded --entry-timeout=0 ls -l", "-v run --etc /tmp/e --single-threaded --entry-timeout=0 -- ls -l")]
    [InlineData("run --single-threaded true --stats ls", "run --single-threaded true --stats -- ls")]
    [InlineData("run -- mdevctl list -t x", "run -- mdevctl list -t x")]
    [InlineData("run --no-such-option ls", "run --no-such-option ls")]
    [InlineData("types -t mtty -p mtty", "types -t mtty -p mtty")]
    [InlineData("run", "run")]
    public void OptionsEndAtTheFirstOperandOfRun(string given, string parsedAs)
    {
        IReadOnlyList<string> args = OperandEndsOptions.Apply(Program.BuildRoot(), given.Split(' '), "run");

        string.Join(' ', args).Should().Be(parsedAs);
    }
}
