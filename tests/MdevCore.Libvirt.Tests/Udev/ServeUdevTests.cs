using MdevCore.Fuse.Tests.Support;

namespace MdevCore.Libvirt.Tests.Udev;

/// <summary><c>mdevsim serve --udev</c>: broadcasts in a private network namespace, refuses one that looks like the machine's.</summary>
public sealed class ServeUdevTests
{
    private const string Uuid = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1201";

    [Fact]
    public void Serve_with_udev_in_a_namespace_with_network_interfaces_refuses_and_mounts_nothing()
    {
        FuseTestMount.RequireFuse();
        File.ReadLines("/proc/self/net/dev").Skip(2).Select(l => l.Split(':')[0].Trim()).Should().Contain(n => n != "lo", "the tests run in the machine's network namespace");
        string dir = Directory.CreateTempSubdirectory("mdevsim-serve-udev-").FullName;
        try
        {
            ProcessResult r = ProcessRunner.Run(Mdevsim.Executable, ["serve", "--udev", "--mount", dir], TimeSpan.FromSeconds(60));

            r.ExitCode.Should().Be(1);
            r.Stderr.Should().StartWith("mdevsim serve: --udev: this network namespace has interfaces besides lo (").And.Contain("unshare --net");
            File.ReadAllText("/proc/self/mounts").Should().NotContain(dir);
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [Fact]
    public void Serve_with_udev_in_a_private_network_namespace_broadcasts_the_hosts_uevents_there()
    {
        FuseTestMount.RequireFuse();
        // libudev's monitor needs /run/udev/control; a tmpfs over /run in the test's own mount namespace gives one.
        string script = $$"""
            mount -t tmpfs mdevsim-test /run && mkdir /run/udev && : > /run/udev/control || exit 3
            d=$(mktemp -d); f=$(mktemp)
            {{Mdevsim.Executable}} serve --udev --mount "$d" > /dev/null 2> "$f.serve" & serve=$!
            until grep -q " $d fuse" /proc/self/mounts; do sleep 0.05; done
            udevadm monitor --udev > "$f" & monitor=$!
            until [ "$(awk '$2 == 15 && $4 == "00000002"' /proc/net/netlink | wc -l)" -ge 1 ]; do sleep 0.05; done
            echo {{Uuid}} > "$d/class/mdev_bus/mtty/mdev_supported_types/mtty-2/create"
            until grep -q ' bind ' "$f"; do sleep 0.05; done
            kill $monitor $serve; wait
            grep '^UDEV  \[' "$f" | awk '{print $3, $4, $5}'; grep -c 'uevents broadcast to udev listeners in network namespace net:' "$f.serve"
            rm "$f" "$f.serve"; rmdir "$d"
            """;

        ProcessResult r = ProcessRunner.Run("unshare", ["--net", "--mount", "--propagation", "private", "sh", "-c", script], TimeSpan.FromSeconds(60));

        r.Should().Be(new ProcessResult(0, $"add /devices/virtual/mtty/mtty/{Uuid} (mdev)\nbind /devices/virtual/mtty/mtty/{Uuid} (mdev)\n1\n", ""));
    }
}
