using System.Text.Json;
using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Cli.Tests;

/// <summary><c>mdevsim tree</c>: the simulated sysfs as text.</summary>
public sealed class TreeCommandTests
{
    [Fact]
    public void Tree_PrintsASubtree()
    {
        ProcessResult r = Mdevsim.Run("tree", "--path", "/sys/class/mdev_bus");

        r.Should().Be(new ProcessResult(0, "D /sys/class/mdev_bus\nL /sys/class/mdev_bus/mtty -> ../../devices/virtual/mtty/mtty\n", ""));
    }

    [Fact]
    public void Tree_Json_DescribesEachEntryWithItsModeAndValue()
    {
        ProcessResult r = Mdevsim.Run("tree", "--json", "--path", "/sys/bus/mdev");

        r.ExitCode.Should().Be(0, r.Stderr);
        using var document = JsonDocument.Parse(r.Stdout);
        JsonElement root = document.RootElement;
        root.GetProperty("type").GetString().Should().Be("directory");
        root.GetProperty("name").GetString().Should().Be("/sys/bus/mdev");
        var entries = root.GetProperty("contents").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        entries["drivers_autoprobe"].GetProperty("type").GetString().Should().Be("file");
        entries["drivers_autoprobe"].GetProperty("mode").GetString().Should().Be("0644");
        entries["drivers_autoprobe"].GetProperty("value").GetString().Should().Be("1\n");
        entries["drivers_probe"].GetProperty("mode").GetString().Should().Be("0200");
        entries["drivers_probe"].GetProperty("value").ValueKind.Should().Be(JsonValueKind.Null, "a write-only attribute has no value to show");
        entries["drivers"].GetProperty("contents").EnumerateArray().Select(e => e.GetProperty("name").GetString()).Should().Contain("mtty");
    }

    [Fact]
    public void Tree_Json_ShowsLinkTargets()
    {
        ProcessResult r = Mdevsim.Run("tree", "--json", "--path", "/sys/class/mdev_bus");

        using var document = JsonDocument.Parse(r.Stdout);
        JsonElement link = document.RootElement.GetProperty("contents")[0];
        (link.GetProperty("type").GetString(), link.GetProperty("name").GetString(), link.GetProperty("target").GetString())
            .Should().Be(("link", "mtty", "../../devices/virtual/mtty/mtty"));
    }

    [Fact]
    public void Tree_MissingPath_NamesThePathAndTheOperation()
    {
        Mdevsim.Run("tree", "--path", "/sys/nope").Should().Be(new ProcessResult(1, "", "mdevsim tree: --path /sys/nope: stat: ENOENT (No such file or directory) in the simulated sysfs\n"));
    }
}
