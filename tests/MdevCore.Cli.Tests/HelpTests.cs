using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Cli.Tests;

/// <summary><c>mdevsim --help</c> and every command's help.</summary>
public sealed class HelpTests
{
    [Theory]
    [InlineData("demo")]
    [InlineData("run")]
    [InlineData("serve")]
    [InlineData("tree")]
    [InlineData("types")]
    [InlineData("bench")]
    public void Help_EveryCommandHasIt(string command)
    {
        ProcessResult r = Mdevsim.Run(command, "--help");

        r.ExitCode.Should().Be(0);
        r.Stdout.Should().Contain("Usage:").And.Contain("mdevsim " + command);
    }
}
