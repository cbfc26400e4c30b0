using MdevCore.Cli.Tests.Support;
using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Cli.Tests;

/// <summary><c>mdevsim topologies</c>: the example topologies ship inside the tool.</summary>
public sealed class TopologiesCommandTests
{
    [Fact]
    public void Topologies_ListsEveryExampleByNameWithItsDescription()
    {
        ProcessResult r = Mdevsim.Run("topologies");

        r.ExitCode.Should().Be(0, r.Stderr);
        string[] names = [.. r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')[0])];
        names.Should().Equal(Repository.ExampleTopologies.Select(Path.GetFileNameWithoutExtension), "every file in examples/topologies is embedded");
        r.Stdout.Should().MatchRegex("\nnvidia-vgpu +An NVIDIA T4 with vGPU profiles");
    }

    [Fact]
    public void Topologies_Name_PrintsThatTopologysJson()
    {
        ProcessResult r = Mdevsim.Run("topologies", "nvidia-vgpu");

        r.Should().Be(new ProcessResult(0, File.ReadAllText(Path.Combine(Mdevsim.Topologies, "nvidia-vgpu.json")), ""));
    }

    [Fact]
    public void Topologies_UnknownName_FailsAndListsTheNames()
    {
        ProcessResult r = Mdevsim.Run("topologies", "nvidia");

        r.ExitCode.Should().Be(1);
        r.Stderr.Should().Be($"mdevsim topologies: nvidia: no such built-in topology; built-in: {string.Join(", ", Repository.ExampleTopologies.Select(Path.GetFileNameWithoutExtension))}\n");
    }

    [Fact]
    public void Topology_BareName_WorksFromAnyDirectory()
    {
        ProcessResult r = ProcessRunner.Bash($"cd / && {Mdevsim.Executable} demo --topology nvidia-vgpu");

        r.ExitCode.Should().Be(0, r.Stderr);
        r.Stdout.Should().StartWith("Host profile: Modern (topology: nvidia-vgpu (built-in))\n").And.Contain("mdevs left: 0");
    }
}
