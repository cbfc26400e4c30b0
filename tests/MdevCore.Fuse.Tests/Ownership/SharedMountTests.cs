using MdevCore.DriverModel;
using MdevCore.Fuse.Tests.Support;
using MdevCore.Mediated;
using MdevCore.Sysfs;

namespace MdevCore.Fuse.Tests.Ownership;

/// <summary>
/// A mount with <c>allow_other</c> opted in, used by an unprivileged user (nobody): it may read what sysfs
/// lets everyone read, and nothing more. Run twice: as shipped (the kernel checks too, with
/// <c>default_permissions</c>) and with the server's own check alone.
/// </summary>
public abstract class SharedMountTests : IDisposable
{
    private const string Uuid = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001";
    private readonly FuseTestMount _mnt;

    protected SharedMountTests(bool kernelChecksPermissions)
    {
        _mnt = new FuseTestMount(options: new FuseMountOptions
        {
            AllowOther = true,
            KernelChecksPermissions = kernelChecksPermissions,
            StopTimeout = TimeSpan.FromSeconds(5),
        });
        // A parent whose vendor attributes are for root's group only: 0440 and 0220.
        Device lab = _mnt.Host.DeviceModel.AddVirtualDevice("lab", "lab").GetValueOrThrow();
        _ = _mnt.Host.Mdev.RegisterParent(lab, new GroupOnlyVendor(), new MdevParentOptions { MaxInstances = 1 }).GetValueOrThrow();
    }

    private string Type2 => _mnt["/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2"];

    private string Lab => _mnt["/sys/devices/virtual/lab/lab"];

    public void Dispose()
    {
        _mnt.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void Mount_allows_other_users()
    {
        _mnt.Mount.AllowsOtherUsers.Should().BeTrue();
        MountOptions().Should().Contain("allow_other");
    }

    [Fact]
    public void Another_user_writing_create_gets_EACCES_and_no_device_is_made()
    {
        ProcessResult r = Setpriv.Bash($"echo {Uuid} > {Type2}/create");

        r.Should().Be(new ProcessResult(1, "", $"bash: line 1: {Type2}/create: Permission denied\n"));
        _mnt.Host.Mdev.DeviceCount.Should().Be(0);
    }

    [Fact]
    public void Another_user_cannot_remove_roots_mdev()
    {
        ProcessRunner.Bash($"echo {Uuid} > {Type2}/create").ExitCode.Should().Be(0);
        string remove = _mnt[$"/sys/bus/mdev/devices/{Uuid}/remove"];

        ProcessResult r = Setpriv.Bash($"echo 1 > {remove}");

        r.Should().Be(new ProcessResult(1, "", $"bash: line 1: {remove}: Permission denied\n"));
        _mnt.Host.Mdev.DeviceCount.Should().Be(1);
        ProcessRunner.Bash($"echo 1 > {remove}").ExitCode.Should().Be(0, "root may remove it");
        _mnt.Host.Mdev.DeviceCount.Should().Be(0);
    }

    [Fact]
    public void Another_user_cannot_write_drivers_autoprobe()
    {
        string autoprobe = _mnt["/sys/bus/mdev/drivers_autoprobe"];

        ProcessResult r = Setpriv.Bash($"echo 0 > {autoprobe}; cat {autoprobe}");

        r.Should().Be(new ProcessResult(0, "1\n", $"bash: line 1: {autoprobe}: Permission denied\n"));
    }

    [Fact]
    public void Another_user_cannot_truncate_a_root_only_attribute()
    {
        ProcessResult r = Setpriv.Bash($"truncate -s 0 {Type2}/create");

        r.ExitCode.Should().Be(1);
        r.Stderr.Should().EndWith("Permission denied\n");
    }

    [Fact]
    public void Another_user_reads_what_sysfs_lets_everyone_read()
    {
        ProcessResult r = Setpriv.Bash($"cat {Type2}/name {Type2}/available_instances; readlink {_mnt.Dir}/class/mdev_bus/mtty; ls {Type2}");

        r.Should().Be(new ProcessResult(0, "Dual port serial\n12\n../../devices/virtual/mtty/mtty\navailable_instances\ncreate\ndevice_api\ndevices\nname\n", ""));
    }

    [Fact]
    public void Another_user_cannot_read_a_write_only_attribute()
    {
        ProcessResult r = Setpriv.Bash($"cat {Type2}/create");

        r.Should().Be(new ProcessResult(1, "", $"cat: {Type2}/create: Permission denied\n"));
    }

    [Fact]
    public void Every_node_is_owned_by_root()
    {
        ProcessResult r = Setpriv.Bash($"stat -c '%u:%g %a %n' {_mnt.Dir} {Type2}/create {Type2}/name");

        r.Should().Be(new ProcessResult(0, $"0:0 755 {_mnt.Dir}\n0:0 200 {Type2}/create\n0:0 444 {Type2}/name\n", ""));
    }

    [Fact]
    public void Root_still_cannot_write_a_read_only_attribute()
    {
        ProcessResult r = ProcessRunner.Bash($"echo 5 > {Type2}/available_instances");

        r.Should().Be(new ProcessResult(1, "", $"bash: line 1: {Type2}/available_instances: Permission denied\n"));
    }

    [Fact]
    public void A_member_of_roots_group_by_supplementary_group_gets_the_group_bits()
    {
        ProcessResult member = Setpriv.Bash($"cat {Lab}/group_secret; echo on > {Lab}/group_knob && echo stored", Setpriv.Nobody, 0);
        ProcessResult stranger = Setpriv.Bash($"cat {Lab}/group_secret", Setpriv.Nobody, 100);

        member.Should().Be(new ProcessResult(0, "secret\nstored\n", ""));
        stranger.Should().Be(new ProcessResult(1, "", $"cat: {Lab}/group_secret: Permission denied\n"));
    }

    private string MountOptions() =>
        File.ReadAllLines("/proc/self/mountinfo").Single(l => l.Split(' ')[4] == _mnt.Dir);

    private sealed class GroupOnlyVendor : IMdevParentOps, IMdevParentAttributeGroups
    {
        public IReadOnlyList<MdevTypeInfo> SupportedTypes { get; } = [new MdevTypeInfo("1", MdevTypeInfo.VfioPci)];

        public IReadOnlyList<AttributeGroup> ParentAttributeGroups { get; } =
        [
            new AttributeGroup(null,
            [
                new SysfsAttribute("group_secret", (UnixFileMode)0b100_100_000, _ => "secret\n", null),
                new SysfsAttribute("group_knob", (UnixFileMode)0b010_010_000, null, (_, _) => Errno.None),
            ]),
        ];

        public Errno Create(MdevDevice mdev) => Errno.None;

        public Errno Remove(MdevDevice mdev) => Errno.None;
    }
}

/// <summary>The shared mount as shipped: the kernel checks with <c>default_permissions</c>, and so does the server.</summary>
public sealed class SharedMountAsShippedTests() : SharedMountTests(kernelChecksPermissions: true);

/// <summary>The shared mount without <c>default_permissions</c>: the server's check from the request's uid and groups holds alone.</summary>
public sealed class SharedMountServerCheckTests() : SharedMountTests(kernelChecksPermissions: false);
