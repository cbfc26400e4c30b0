using System.Text.Json;
using MdevCore.Cli.Tests.Support;
using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Cli.Tests;

/// <summary><c>mdevsim demo</c>: the in-process walk-through.</summary>
public sealed class DemoCommandTests
{
    public static TheoryData<string> ExampleTopologies => [.. Repository.ExampleTopologies.Select(f => Path.GetFileName(f))];

    [Fact]
    public void Demo_RunsWithoutRootOrFuseAndRemovesEverything()
    {
        ProcessResult r = Mdevsim.Run("demo");

        r.ExitCode.Should().Be(0);
        r.Stdout.Should().Contain("EEXIST (File exists)").And.Contain("mdevs left: 0; available_instances of mtty-2: 12");
        r.Stdout.Should().Contain("config space: vendor 4348, device 3253")
            .And.Contain("UART 0 (BAR0): sent \"hello, mdev\", received \"hello, mdev\" (loopback)", "the demo drives the mtty device through VFIO");
    }

    [Theory]
    [MemberData(nameof(ExampleTopologies))]
    public void Demo_EveryExampleTopology_WalksWhatItOffersAndRemovesEverything(string file)
    {
        ProcessResult r = Mdevsim.Run("demo", "--topology", Path.Combine(Mdevsim.Topologies, file));

        r.Stderr.Should().BeEmpty();
        r.ExitCode.Should().Be(0, r.Stdout);
        r.Stdout.Should().Contain("EEXIST (File exists)   # a duplicate").And.Contain("uevents:").And.MatchRegex(@"mdevs left: (0|(\d+) \(the topology created \2\)); available_instances of \S+: \d+\n$", "the demo removes what it made and nothing else");
    }

    [Fact]
    public void Demo_DriverWithoutVfio_SaysWhatItSkipsAndWhy()
    {
        ProcessResult r = Mdevsim.Run("demo", "--topology", "gvtg");

        r.ExitCode.Should().Be(0, r.Stdout + r.Stderr);
        r.Stdout.Should().Contain("skipped: regions, config space and UART: VFIO_DEVICE_GET_INFO on 83b8f4f2-509f-382f-3c1e-e6bfe0fa1001: EINVAL (Invalid argument)")
            .And.Contain("$ echo 1 > /sys/bus/mdev/devices/83b8f4f2-509f-382f-3c1e-e6bfe0fa1002/remove: ok (2 bytes)", "the walk goes on after a skipped step");
    }

    [Fact]
    public void Demo_TypeWithOneInstance_CreatesOneDeviceAndSaysSo()
    {
        ProcessResult r = Mdevsim.Run("demo", "--topology", "vfio-ccw");

        r.ExitCode.Should().Be(0, r.Stdout + r.Stderr);
        r.Stdout.Should().Contain("skipped: a second device: available_instances of this type was 1")
            .And.NotContain("83b8f4f2-509f-382f-3c1e-e6bfe0fa1002 >");
    }

    [Fact]
    public void Demo_NonMttyPciDevice_ReadsItsIdsAndSkipsTheUart()
    {
        string topology = Path.Combine(Path.GetTempPath(), $"mdevsim-demo-{Guid.NewGuid():N}.json");
        File.WriteAllText(topology, """{ "parents": [ { "sample": { "name": "mdpy", "max_devices": 2 } } ] }""");
        try
        {
            ProcessResult r = Mdevsim.Run("demo", "--topology", topology);

            r.ExitCode.Should().Be(0, r.Stdout + r.Stderr);
            r.Stdout.Should().MatchRegex("config space: vendor [0-9a-f]{4}, device [0-9a-f]{4}").And.Contain("skipped: UART loopback: not an mtty serial card");
        }
        finally
        {
            File.Delete(topology);
        }
    }

    [Fact]
    public void Demo_Json_PrintsTheUEventLogAsJsonLinesAndTheWalkToStderr()
    {
        ProcessResult r = Mdevsim.Run("demo", "--json");

        r.ExitCode.Should().Be(0, r.Stderr);
        r.Stderr.Should().Contain("EEXIST (File exists)").And.Contain("mdevs left: 0");
        string[] lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCountGreaterThan(4);
        ulong previous = 0;
        var actions = new List<string>();
        foreach (string line in lines)
        {
            using var e = JsonDocument.Parse(line);
            JsonElement root = e.RootElement;
            ulong seqnum = root.GetProperty("seqnum").GetUInt64();
            seqnum.Should().BeGreaterThan(previous);
            previous = seqnum;
            root.GetProperty("env").GetProperty("SEQNUM").GetString().Should().Be(seqnum.ToString(System.Globalization.CultureInfo.InvariantCulture));
            root.GetProperty("env").GetProperty("ACTION").GetString().Should().Be(root.GetProperty("action").GetString());
            root.GetProperty("env").GetProperty("DEVPATH").GetString().Should().Be(root.GetProperty("devpath").GetString());
            actions.Add($"{root.GetProperty("action").GetString()} {root.GetProperty("devpath").GetString()}");
        }

        actions.Should().ContainInOrder(
            "add /devices/virtual/mtty/mtty/83b8f4f2-509f-382f-3c1e-e6bfe0fa1001",
            "bind /devices/virtual/mtty/mtty/83b8f4f2-509f-382f-3c1e-e6bfe0fa1001",
            "unbind /devices/virtual/mtty/mtty/83b8f4f2-509f-382f-3c1e-e6bfe0fa1001",
            "remove /devices/virtual/mtty/mtty/83b8f4f2-509f-382f-3c1e-e6bfe0fa1001");
    }

    [Fact]
    public void Demo_Verbose_LogsCreateRemoveAndUEventsToStderrOnly()
    {
        ProcessResult plain = Mdevsim.Run("demo");
        ProcessResult verbose = Mdevsim.Run("-v", "demo");

        verbose.ExitCode.Should().Be(0);
        verbose.Stdout.Should().Be(plain.Stdout, "verbose logging goes to standard error");
        verbose.Stderr.Should().Contain("mdevsim: debug: MDEV: created 83b8f4f2-509f-382f-3c1e-e6bfe0fa1001 of type mtty-2\n")
            .And.Contain("mdevsim: debug: MDEV: create of 83b8f4f2-509f-382f-3c1e-e6bfe0fa1001 on mtty-2 failed with EEXIST\n")
            .And.Contain("mdevsim: debug: MDEV: removed 83b8f4f2-509f-382f-3c1e-e6bfe0fa1002\n")
            .And.MatchRegex(@"mdevsim: uevent \d+: add /devices/virtual/mtty/mtty/83b8f4f2-509f-382f-3c1e-e6bfe0fa1001 SUBSYSTEM=mdev\n")
            .And.MatchRegex(@"mdevsim: uevent \d+: remove /devices/virtual/mtty/mtty/83b8f4f2-509f-382f-3c1e-e6bfe0fa1002 SUBSYSTEM=mdev\n");
        plain.Stderr.Should().BeEmpty();
    }
}
