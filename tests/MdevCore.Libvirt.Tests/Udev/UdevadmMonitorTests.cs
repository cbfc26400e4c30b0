using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Libvirt.Tests.Udev;

/// <summary>The real <c>udevadm monitor --udev</c> inside <c>mdevsim run --udev</c>: libudev accepts the broadcast as udevd's own.</summary>
public sealed class UdevadmMonitorTests
{
    private const string Uuid = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1007";
    private const string DevPath = "/devices/virtual/mtty/mtty/" + Uuid;

    // Waits until the monitors are bound to udev's group (the kernel's socket table), creates and removes
    // an mdev, waits for the monitors to print the remove, then prints what they saw.
    private const string Script = """
        d=$(mktemp -d)
        udevadm monitor --udev --property > "$d/all" & all=$!
        udevadm monitor --udev --subsystem-match=mdev > "$d/mdev" & mdev=$!
        until [ "$(awk '$2 == 15 && $4 == "00000002"' /proc/net/netlink | wc -l)" -ge 2 ]; do sleep 0.05; done
        echo UUID > /sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2/create
        cat /sys/bus/mdev/devices/UUID/uevent > "$d/uevent"
        echo 1 > /sys/bus/mdev/devices/UUID/remove
        until grep -q ACTION=remove "$d/all" && grep -q ' remove ' "$d/mdev"; do sleep 0.05; done
        kill $all $mdev; wait
        cat "$d/uevent"; echo ====; cat "$d/all"; echo ====; grep '^UDEV  \[' "$d/mdev"
        rm -r "$d"
        """;

    private static (string[] Uevent, List<string[]> Events, string[] Filtered) Watch()
    {
        FuseTestMount.RequireFuse();
        ProcessResult r = ProcessRunner.Run(Mdevsim.Executable, ["run", "--udev", "--", "sh", "-c", Script.Replace("UUID", Uuid, StringComparison.Ordinal)], TimeSpan.FromSeconds(60));
        r.ExitCode.Should().Be(0, r.Stderr);
        string[] parts = r.Stdout.Split("====\n");
        parts.Should().HaveCount(3, r.Stdout);
        string[] uevent = parts[0].TrimEnd('\n').Split('\n');
        List<string[]> events = [.. parts[1].Split("\n\n").Select(b => b.Trim('\n').Split('\n')).Where(b => b[0].StartsWith("UDEV ", StringComparison.Ordinal))];
        return (uevent, events, parts[2].TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Udevadm_monitor_sees_add_bind_unbind_remove_of_an_mdev_in_order_with_the_properties_of_its_uevent_file()
    {
        (string[] uevent, List<string[]> events, _) = Watch();

        uevent.Should().Contain("DRIVER=mtty");
        string[] withoutDriver = [.. uevent.Where(l => !l.StartsWith("DRIVER=", StringComparison.Ordinal))];
        events.Select(e => e[1]).Should().Equal("ACTION=add", "ACTION=bind", "ACTION=unbind", "ACTION=remove");
        long first = long.Parse(events[0][^1]["SEQNUM=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        for (int i = 0; i < events.Count; i++)
        {
            string action = events[i][1]["ACTION=".Length..];
            // __device_release_driver clears the driver before KOBJ_UNBIND, so only bind carries DRIVER=.
            string[] own = action is "bind" ? uevent : withoutDriver;
            events[i][0].Should().MatchRegex($@"^UDEV  \[[0-9.]+\] {action} +{DevPath} \(mdev\)$");
            events[i][1..].Should().Equal(
                [$"ACTION={action}", $"DEVPATH={DevPath}", "SUBSYSTEM=mdev", .. own, $"SEQNUM={first + i}"],
                "libudev hands on the variables of the event in the host's order, numbered consecutively");
        }
    }

    [Fact]
    public void A_subsystem_filter_in_the_kernel_passes_the_mdev_events_so_the_header_hash_is_libudevs()
    {
        (_, _, string[] filtered) = Watch();

        filtered.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2]).Should().Equal("add", "bind", "unbind", "remove");
        filtered.Should().OnlyContain(l => l.EndsWith($" {DevPath} (mdev)", StringComparison.Ordinal));
    }
}
