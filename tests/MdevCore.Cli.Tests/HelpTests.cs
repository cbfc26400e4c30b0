using MdevCore.Cli.Tests.Support;
using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Cli.Tests;

/// <summary><c>mdevsim --help</c> and every command's help.</summary>
public sealed class HelpTests
{
    [Theory]
    [MemberData(nameof(Repository.Commands), MemberType = typeof(Repository))]
    public void Help_EveryCommandHasIt(string command)
    {
        ProcessResult r = Mdevsim.Run(command, "--help");

        r.ExitCode.Should().Be(0);
        r.Stdout.Should().Contain("Usage:").And.Contain("mdevsim " + command);
    }

    [Fact]
    public void Help_PointsToTheDocumentationByAbsoluteUrlFromThePackagingMetadata()
    {
        ProcessResult r = Mdevsim.Run("--help");

        r.ExitCode.Should().Be(0);
        Repository.ProjectUrl.Should().StartWith("https://");
        r.Stdout.Should().Contain($"Documentation: {Repository.ProjectUrl}/blob/main/docs/cli.md");
        Mdevsim.Run("types", "--help").Stdout.Should().Contain($"{Repository.ProjectUrl}/blob/main/docs/topology.md");
    }
}
