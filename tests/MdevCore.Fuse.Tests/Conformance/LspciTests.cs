using System.Text.RegularExpressions;
using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Fuse.Tests.Conformance;

/// <summary>The real lspci (Debian pciutils, reading /sys/bus/pci through libpci's sysfs access) inside <c>mdevsim run</c>.</summary>
public sealed partial class LspciTests
{
    private const string Gpu = """
        { "parents": [ {
            "pci": { "address": "0000:41:00.0", "vendor": "0x10de", "device": "0x2236", "class": "0x030200",
                     "subsystem_vendor": "0x10de", "subsystem_device": "0x1482", "revision": "0xa1",
                     "numa_node": 1, "link": { "speed": 16, "width": 8 } },
            "driver": "nvidia",
            "types": [ { "name": "A10-4Q", "device_api": "vfio-pci", "max_instances": 6 } ] } ] }
        """;

    private static void RequireLspci()
    {
        Mdevsim.RequireMdevctl();
        if (!File.Exists("/usr/bin/lspci"))
        {
            throw new InvalidOperationException("lspci is not installed (scripts/test.sh installs pciutils with apt-get); the lspci tests must not be skipped.");
        }
    }

    [Theory]
    [InlineData("gvtg.json", "00:02.0", "0300", "8086:3e92", "i915")]
    [InlineData("nvidia-vgpu.json", "41:00.0", "0302", "10de:1eb8", "nvidia")]
    [InlineData("nvidia-vgpu.json", "42:00.0", "0302", "10de:1eb8", "nvidia")]
    public void LspciNnV_ShowsEachPciParentWithItsIdsAndThePciExpressCapability(string file, string slot, string cls, string ids, string driver)
    {
        RequireLspci();
        string topology = File.ReadAllText(Path.Combine(Mdevsim.Topologies, file));

        StepResults r = Mdevsim.RunSteps(topology, "lspci -nn -v");

        r[0].ExitCode.Should().Be(0, r.ToString());
        string entry = Entry(r[0].Stdout, slot);
        entry.Should().MatchRegex($@"^{Regex.Escape(slot)} [^\n]*\[{cls}\]: [^\n]*\[{ids}\]");
        entry.Should().Contain("Capabilities: [40] Power Management version 3");
        entry.Should().Contain("Capabilities: [48] MSI: Enable- Count=1/1 Maskable- 64bit+");
        entry.Should().Contain("Capabilities: [58] Express Endpoint, MSI 00");
        entry.Should().Contain($"Kernel driver in use: {driver}");
    }

    [Fact]
    public void LspciVv_ShowsTheTopologysSubsystemRevisionNumaNodeAndLink()
    {
        RequireLspci();

        StepResults r = Mdevsim.RunSteps(Gpu, "lspci -nn -vv -s 41:00.0");

        r[0].ExitCode.Should().Be(0, r.ToString());
        string entry = Entry(r[0].Stdout, "41:00.0");
        entry.Should().MatchRegex(@"^41:00\.0 [^\n]*\[0302\]: [^\n]*\[10de:2236\] \(rev a1\)");
        entry.Should().MatchRegex(@"\n\tSubsystem: [^\n]*\[10de:1482\]\n");
        entry.Should().Contain("NUMA node: 1");
        entry.Should().MatchRegex(@"LnkCap:\tPort #0, Speed 16GT/s, Width x8");
        entry.Should().MatchRegex(@"LnkSta:\tSpeed 16GT/s, Width x8");
    }

    [Fact]
    public void Setpci_WritesTheInterruptLineThroughTheConfigFile()
    {
        RequireLspci();

        StepResults r = Mdevsim.RunSteps(Gpu, "setpci -s 41:00.0 INTERRUPT_LINE=0b", "setpci -s 41:00.0 INTERRUPT_LINE", "setpci -s 41:00.0 VENDOR_ID");

        r[0].Should().Be(new ProcessResult(0, "", ""), r.ToString());
        r[1].Stdout.Should().Be("0b\n");
        r[2].Stdout.Should().Be("10de\n");
    }

    /// <summary>The lines of one device in lspci's output (devices are separated by blank lines).</summary>
    private static string Entry(string output, string slot) =>
        output.Split("\n\n").SingleOrDefault(e => e.StartsWith(slot + " ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"lspci did not list {slot}:\n{output}");
}
