using System.Text.Json;

namespace MdevCore.Topology.Tests;

/// <summary><c>mdevsim record</c> against a served host: recording the mount and building the recording gives the same
/// <c>/sys/class/mdev_bus</c> and <c>/sys/bus/mdev</c>, byte for byte, and the recording is a valid topology.</summary>
public sealed class RecordRoundTripTests
{
    public static TheoryData<string> ExampleFiles => SchemaAgreementTests.ExampleFiles;

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Recording_a_served_example_replays_to_the_same_trees(string file) => RoundTrip(Examples.File(file));

    [Fact]
    public void Recording_a_host_with_active_devices_replays_them_with_their_attributes()
    {
        string source = WriteTemp("""
            { "parents": [
              { "pci": { "address": "0000:41:00.0", "vendor": "0x10de", "device": "0x1eb8", "class": "0x030200" }, "driver": "nvidia",
                "shared_instances": 16,
                "types": [ { "name": "222", "pretty_name": "GRID T4-1B", "device_api": "vfio-pci", "cost": 1 },
                           { "name": "230", "pretty_name": "GRID T4-4Q", "device_api": "vfio-pci", "cost": 4 } ],
                "device_attributes": [ { "group": "vendor", "name": "serial", "access": "ro", "value": "none" },
                                       { "name": "knob", "access": "rw", "value": "0", "types": [ "230" ] } ],
                "devices": [ { "uuid": "22222222-2222-2222-2222-222222222222", "type": "nvidia-230", "attributes": { "knob": "7", "vendor/serial": "T4-0002" } },
                             { "uuid": "11111111-1111-1111-1111-111111111111", "type": "nvidia-222", "attributes": { "vendor/serial": "T4-0001" } } ] },
              { "sample": { "name": "mtty" }, "devices": [ { "uuid": "33333333-3333-3333-3333-333333333333", "type": "mtty-2" } ] } ] }
            """);
        try
        {
            string recorded = RoundTrip(source);

            using JsonDocument doc = JsonDocument.Parse(recorded);
            JsonElement devices = doc.RootElement.GetProperty("parents")[0].GetProperty("devices");
            devices.EnumerateArray().Select(d => d.GetProperty("uuid").GetString()).Should()
                .Equal(["22222222-2222-2222-2222-222222222222", "11111111-1111-1111-1111-111111111111"], "devices replay in creation order");
            devices[0].GetProperty("attributes").GetProperty("knob").GetString().Should().Be("7");
        }
        finally
        {
            File.Delete(source);
        }
    }

    [Fact]
    public void An_archive_keeps_the_raw_files_and_replays_as_a_topology()
    {
        Mdevsim.RequireFuse();
        string tar = Path.Combine(Path.GetTempPath(), $"mdevsim-record-{Environment.ProcessId}-{Guid.NewGuid():N}.tar");
        try
        {
            var run = Mdevsim.Run("run", "--topology", Examples.File("gvtg.json"), "--", "bash", "-c",
                $"echo 83b8f4f2-509f-382f-3c1e-e6bfe0fa1001 > /sys/class/mdev_bus/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_4/create && {Mdevsim.Executable} record --sys /sys --archive {tar}");
            run.ExitCode.Should().Be(0, run.Stderr);

            var tree = Mdevsim.Run("tree", "--topology", tar, "--path", "/sys/bus/mdev");
            tree.ExitCode.Should().Be(0, tree.Stderr);
            tree.Stdout.Should().Contain("L /sys/bus/mdev/devices/83b8f4f2-509f-382f-3c1e-e6bfe0fa1001 -> ../../../devices/pci0000:00/0000:00:02.0/83b8f4f2-509f-382f-3c1e-e6bfe0fa1001");
            Mdevsim.Run("tree", "--topology", tar, "--path", "/sys/class/mdev_bus/0000:00:02.0/mdev_supported_types/i915-GVTg_V5_4").Stdout
                .Should().Contain("available_instances 0444 = \"3\\n\"");
        }
        finally
        {
            File.Delete(tar);
        }
    }

    [Fact]
    public void Only_the_named_parents_are_recorded_and_an_unknown_name_is_reported()
    {
        Mdevsim.RequireFuse();

        var run = Mdevsim.Run("run", "--topology", Examples.File("nvidia-vgpu.json"), "--", Mdevsim.Executable, "record", "--parent", "0000:42:00.0", "--parent", "0000:99:00.0");

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain("0000:42:00.0").And.NotContain("0000:41:00.0");
        run.Stderr.Should().Contain("parent 0000:99:00.0: not in class/mdev_bus");
    }

    /// <summary>Serves the topology, records the mount, and compares both hosts' trees; returns the recording.</summary>
    private static string RoundTrip(string topology)
    {
        Mdevsim.RequireFuse();
        var recorded = Mdevsim.Run("run", "--topology", topology, "--", Mdevsim.Executable, "record", "--sys", "/sys");
        recorded.ExitCode.Should().Be(0, recorded.Stderr);
        TopologySchema.Errors(recorded.Stdout).Should().BeEmpty(recorded.Stdout);

        string replay = WriteTemp(recorded.Stdout);
        try
        {
            foreach (string root in (string[])["/sys/class/mdev_bus", "/sys/bus/mdev"])
            {
                var expected = Mdevsim.Run("tree", "--topology", topology, "--path", root);
                var actual = Mdevsim.Run("tree", "--topology", replay, "--path", root);
                expected.ExitCode.Should().Be(0, expected.Stderr);
                actual.Stdout.Should().Be(expected.Stdout, $"{root} of the replayed recording of {topology}:\n{recorded.Stdout}");
            }
        }
        finally
        {
            File.Delete(replay);
        }

        return recorded.Stdout;
    }

    private static string WriteTemp(string text)
    {
        string file = Path.Combine(Path.GetTempPath(), $"mdevsim-topology-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, text);
        return file;
    }
}
