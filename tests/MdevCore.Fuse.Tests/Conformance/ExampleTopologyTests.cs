using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Fuse.Tests.Conformance;

/// <summary>Every shipped example topology, served through <c>mdevsim run</c>, as the real mdevctl sees it.</summary>
public sealed class ExampleTopologyTests
{
    [Theory]
    [InlineData("mtty.json")]
    [InlineData("gvtg.json")]
    [InlineData("nvidia-vgpu.json")]
    [InlineData("vfio-ap.json")]
    [InlineData("vfio-ccw.json")]
    [InlineData("samples.json")]
    public void MdevctlTypes_MatchesMdevsimTypes(string file)
    {
        Mdevsim.RequireMdevctl();
        string topology = Path.Combine(Mdevsim.Topologies, file);
        ProcessResult expected = Mdevsim.Run("types", "--topology", topology);

        ProcessResult actual = Mdevsim.Run("run", "--topology", topology, "--", "mdevctl", "types");

        expected.ExitCode.Should().Be(0);
        actual.Should().Be(new ProcessResult(0, expected.Stdout + "\n", ""));
    }

    [Fact]
    public void NvidiaProfiles_ShareTheFramebuffer()
    {
        string topology = File.ReadAllText(Path.Combine(Mdevsim.Topologies, "nvidia-vgpu.json"));
        const string Card = "/sys/class/mdev_bus/0000:41:00.0/mdev_supported_types";

        StepResults r = Mdevsim.RunSteps(
            topology,
            "mdevctl start -u 11111111-1111-1111-1111-111111111111 -p 0000:41:00.0 -t nvidia-230",
            $"cat {Card}/nvidia-222/available_instances {Card}/nvidia-230/available_instances {Card}/nvidia-232/available_instances",
            "mdevctl start -p 0000:41:00.0 -t nvidia-232");

        r[0].Should().Be(new ProcessResult(0, "", ""), r.ToString());
        r[1].Should().Be(new ProcessResult(0, "12\n3\n0\n", ""));
        r[2].Should().Be(new ProcessResult(1, "", "Error: No available instances of nvidia-232 on 0000:41:00.0\n"));
    }
}
