using MdevCore.Cli.Tests.Support;
using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Cli.Tests;

/// <summary><c>mdevsim types</c>: parents and types as mdevctl lists them.</summary>
public sealed class TypesCommandTests
{
    [Fact]
    public void Types_PrintsTheTopologysTypes()
    {
        ProcessResult r = Mdevsim.Run("types", "--topology", Path.Combine(Mdevsim.Topologies, "vfio-ap.json"));

        r.Should().Be(new ProcessResult(0, "matrix\n  vfio_ap-passthrough\n    Available instances: 65536\n    Device API: vfio-ap\n    Name: VFIO AP Passthrough Device\n", ""));
    }

    [Fact]
    public void Types_ParentOption_ListsOnlyThatParent()
    {
        ProcessResult r = Mdevsim.Run("types", "--topology", "nvidia-vgpu", "-p", "0000:42:00.0");

        r.ExitCode.Should().Be(0, r.Stderr);
        r.Stdout.Should().StartWith("0000:42:00.0\n  nvidia-222\n").And.NotContain("0000:41:00.0");
    }

    [Fact]
    public void Types_JsonWithAnUnknownParent_IsAnEmptyArrayAsMdevctlPrintsIt()
    {
        Mdevsim.Run("types", "--json", "--parent", "missing").Should().Be(new ProcessResult(0, "[]\n", ""));
    }

    [Fact]
    public void Types_Json_IsMdevctlsDumpjsonShape()
    {
        ProcessResult r = Mdevsim.Run("types", "--json", "--topology", "vfio-ap");

        r.Should().Be(new ProcessResult(0, """
            [
              {
                "matrix": [
                  {
                    "vfio_ap-passthrough": {
                      "available_instances": 65536,
                      "device_api": "vfio-ap",
                      "name": "VFIO AP Passthrough Device"
                    }
                  }
                ]
              }
            ]

            """, ""));
    }

    [Theory]
    [InlineData("nvidia-vgpu", "")]
    [InlineData("nvidia-vgpu", "0000:42:00.0")]
    [InlineData("gvtg", "")]
    [InlineData("samples", "")]
    [InlineData("vfio-ccw", "")]
    public void Types_Json_IsByteForByteWhatTheRealMdevctlPrintsForTheSameHost(string topology, string parent)
    {
        string[] onlyParent = parent.Length > 0 ? ["-p", parent] : [];
        ProcessResult ours = Mdevsim.Run(["types", "--json", "--topology", topology, .. onlyParent]);
        string json = Mdevsim.Run("topologies", topology).Stdout;

        StepResults real = Mdevsim.RunSteps(json, "mdevctl types --dumpjson" + (parent.Length > 0 ? " -p " + parent : ""));

        real[0].ExitCode.Should().Be(0, real.ToString());
        ours.ExitCode.Should().Be(0, ours.Stderr);
        ours.Stdout.Should().Be(real[0].Stdout);
    }

    [Fact]
    public void Types_BareName_UsesTheBuiltInTopology()
    {
        ProcessResult byName = Mdevsim.Run("types", "--topology", "vfio-ap");
        ProcessResult byFile = Mdevsim.Run("types", "--topology", Path.Combine(Mdevsim.Topologies, "vfio-ap.json"));

        byName.ExitCode.Should().Be(0, byName.Stderr);
        byName.Stdout.Should().Be(byFile.Stdout).And.StartWith("matrix\n");
    }

    [Fact]
    public void Types_TopologyIsADirectory_SaysSoAndExits1()
    {
        ProcessResult r = Mdevsim.Run("types", "-t", Mdevsim.Topologies);

        r.Should().Be(new ProcessResult(1, "", $"mdevsim: --topology {Mdevsim.Topologies}: read: EISDIR (Is a directory); give a topology JSON file or a built-in name (mdevsim topologies)\n"));
    }

    [Fact]
    public void Types_MissingTopology_NamesThePathAndTheOperation()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-topology.json");

        ProcessResult r = Mdevsim.Run("types", "-t", missing);

        r.ExitCode.Should().Be(1);
        r.Stderr.Should().Be($"mdevsim: --topology {missing}: open: ENOENT (No such file or directory); built-in topologies: {string.Join(", ", Repository.ExampleTopologies.Select(Path.GetFileNameWithoutExtension))}\n");
    }
}
