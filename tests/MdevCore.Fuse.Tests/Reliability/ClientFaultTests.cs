using System.Diagnostics;
using MdevCore.DriverModel;
using MdevCore.Fuse.Tests.Support;
using MdevCore.Mediated;
using MdevCore.Sysfs;

namespace MdevCore.Fuse.Tests.Reliability;

/// <summary>Clients that die mid-request, and a mount detached while files are open: the server stays sound and leaves nothing.</summary>
public sealed class ClientFaultTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public void Clients_killed_mid_read_leave_the_server_serving()
    {
        using var gate = new ManualResetEventSlim(false);
        using var entered = new SemaphoreSlim(0);
        using var mnt = new FuseTestMount();
        Device lab = mnt.Host.DeviceModel.AddVirtualDevice("lab", "lab").GetValueOrThrow();
        _ = mnt.Host.Mdev.RegisterParent(lab, new BlockingVendor(gate, entered), new MdevParentOptions { MaxInstances = 1 }).GetValueOrThrow();
        string slow = mnt["/sys/devices/virtual/lab/lab/slow"];

        // Three readers blocked inside the show callback, then killed with SIGKILL while the server holds their requests.
        var readers = Enumerable.Range(0, 3).Select(_ => Process.Start(new ProcessStartInfo("cat", [slow]) { RedirectStandardOutput = true, RedirectStandardError = true })!).ToList();
        for (int i = 0; i < readers.Count; i++)
        {
            entered.Wait(Bound).Should().BeTrue("each reader's read reaches the server");
        }

        foreach (Process reader in readers)
        {
            reader.Kill();
        }

        // A request already handed to the server cannot be abandoned (the kernel waits for its answer, as for
        // any FUSE file system): the killed readers end once the store answers, and their answers are dropped.
        gate.Set();
        foreach (Process reader in readers)
        {
            reader.WaitForExit(Bound).Should().BeTrue("a reader killed mid-read ends once its request is answered");
            reader.ExitCode.Should().Be(137);
            reader.StandardOutput.ReadToEnd().Should().BeEmpty();
            reader.Dispose();
        }

        ProcessRunner.Bash($"cat {slow} {mnt["/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2/name"]}").Should()
            .Be(new ProcessResult(0, "done\nDual port serial\n", ""));
        mnt.Mount.IsServing.Should().BeTrue();
    }

    [Fact]
    public void Many_clients_killed_while_reading_in_a_loop_leave_the_server_serving()
    {
        using var mnt = new FuseTestMount();
        string type = mnt["/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2"];
        var loops = Enumerable.Range(0, 4).Select(_ => Process.Start(new ProcessStartInfo("sh", ["-c", $"while :; do cat {type}/name {type}/available_instances >/dev/null; ls {type} >/dev/null; done"]))!).ToList();
        long before = mnt.Mount.RequestCount;
        SpinWait.SpinUntil(() => mnt.Mount.RequestCount > before + 200, Bound).Should().BeTrue("the loops are reading");

        foreach (Process loop in loops)
        {
            loop.Kill(entireProcessTree: true);
            loop.WaitForExit();
            loop.Dispose();
        }

        ProcessRunner.Bash($"cat {type}/available_instances").Should().Be(new ProcessResult(0, "12\n", ""));
        mnt.Mount.IsServing.Should().BeTrue();
    }

    [Theory]
    [InlineData("umount", "-l")]
    [InlineData("fusermount3", "-uz")]
    public void Lazy_unmount_with_a_file_open_keeps_it_readable_then_the_server_ends_when_it_is_closed(string tool, string flag)
    {
        using var mnt = new FuseTestMount();
        string available = mnt["/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2/available_instances"];

        // The client holds the attribute open across the detach, reads it again through the descriptor, then exits.
        ProcessResult r = ProcessRunner.Bash($"""
            exec 3< {available}
            {tool} {flag} {mnt.Dir}; echo "detach rc=$?"
            grep -c ' {mnt.Dir} ' /proc/mounts
            cat <&3
            """);

        r.Should().Be(new ProcessResult(0, "detach rc=0\n0\n12\n", ""));
        mnt.Mount.WaitForExit(Bound).Should().BeTrue("the connection ends once the last open file is closed");
        File.ReadAllText("/proc/self/mountinfo").Should().NotContain(" " + mnt.Dir + " ");
    }

    private sealed class BlockingVendor(ManualResetEventSlim gate, SemaphoreSlim entered) : IMdevParentOps, IMdevParentAttributeGroups
    {
        public IReadOnlyList<MdevTypeInfo> SupportedTypes { get; } = [new MdevTypeInfo("1", MdevTypeInfo.VfioPci)];

        public IReadOnlyList<AttributeGroup> ParentAttributeGroups =>
        [
            new AttributeGroup(null, [SysfsAttribute.ReadOnly("slow", _ =>
            {
                entered.Release();
                gate.Wait();
                return "done\n";
            })]),
        ];

        public Errno Create(MdevDevice mdev) => Errno.None;

        public Errno Remove(MdevDevice mdev) => Errno.None;
    }
}
