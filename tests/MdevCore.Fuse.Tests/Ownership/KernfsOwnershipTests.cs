using MdevCore.Fuse.Ownership;
using MdevCore.Sysfs;
using MdevCore.Topology;

namespace MdevCore.Fuse.Tests.Ownership;

/// <summary>The server's own check of a caller against kernfs ownership (root:root, the node's mode), without a mount.</summary>
public sealed class KernfsOwnershipTests
{
    private const string Type2 = "/class/mdev_bus/mtty/mdev_supported_types/mtty-2";
    private const int O_RDONLY = 0;
    private const int O_WRONLY = 1;
    private const int EACCES = 13;
    private static readonly FuseCaller Root = new(0, 0, 1);
    private static readonly FuseCaller Nobody = new(65534, 65534, 1);
    private readonly MdevHost _host = TopologyLoader.LoadDefault().Build();
    private readonly SysfsFuseOperations _ops;

    public KernfsOwnershipTests() => _ops = new SysfsFuseOperations(_host.Sysfs, DateTimeOffset.UnixEpoch, supplementaryGroups: _ => []);

    [Fact]
    public void Open_create_for_writing_as_another_user_returns_EACCES()
    {
        _ops.Open(Type2 + "/create", O_WRONLY, out SysfsFuseOperations.OpenAttribute? handle, Nobody).Should().Be(-EACCES);

        handle.Should().BeNull();
    }

    [Fact]
    public void Open_create_for_writing_as_root_succeeds() =>
        _ops.Open(Type2 + "/create", O_WRONLY, out _, Root).Should().Be(0);

    [Fact]
    public void Open_read_only_attribute_for_writing_as_root_still_returns_EACCES() =>
        _ops.Open(Type2 + "/available_instances", O_WRONLY, out _, Root).Should().Be(-EACCES);

    [Fact]
    public void Open_world_readable_attribute_as_another_user_succeeds() =>
        _ops.Open(Type2 + "/available_instances", O_RDONLY, out _, Nobody).Should().Be(0);

    [Fact]
    public void Open_drivers_autoprobe_for_writing_as_another_user_returns_EACCES() =>
        _ops.Open("/bus/mdev/drivers_autoprobe", O_WRONLY, out _, Nobody).Should().Be(-EACCES);

    [Fact]
    public void Truncate_of_a_root_writable_attribute_as_another_user_returns_EACCES()
    {
        _ops.Truncate(Type2 + "/create", Nobody).Should().Be(-EACCES);
        _ops.Truncate(Type2 + "/create", Root).Should().Be(0);
    }

    [Fact]
    public void Open_missing_path_as_another_user_returns_ENOENT_not_EACCES() =>
        _ops.Open(Type2 + "/nope", O_RDONLY, out _, Nobody).Should().Be(-2);

    [Fact]
    public void A_mount_without_other_users_checks_no_caller()
    {
        var unchecked_ = new SysfsFuseOperations(_host.Sysfs, DateTimeOffset.UnixEpoch);

        unchecked_.EnforcesOwnership.Should().BeFalse();
        unchecked_.Open(Type2 + "/create", O_WRONLY, out _, Nobody).Should().Be(0);
    }

    [Theory]
    [InlineData(0b110_100_000, SysfsAccess.Read, 65534u, new uint[] { 0 }, true)]
    [InlineData(0b110_100_000, SysfsAccess.Read, 65534u, new uint[] { 100 }, false)]
    [InlineData(0b110_100_000, SysfsAccess.Read, 0u, new uint[0], true)]
    [InlineData(0b110_010_000, SysfsAccess.Write, 65534u, new uint[] { 0 }, true)]
    [InlineData(0b110_010_000, SysfsAccess.ReadWrite, 65534u, new uint[] { 0 }, false)]
    [InlineData(0b110_000_100, SysfsAccess.Read, 65534u, new uint[] { 0 }, false)]
    public void Permits_applies_the_group_bits_to_members_of_roots_group(int mode, SysfsAccess access, uint gid, uint[] groups, bool expected) =>
        KernfsOwnership.Permits((UnixFileMode)mode, access, new FuseCaller(65534, gid, 1), _ => groups).Should().Be(expected);

    [Fact]
    public void Permits_asks_for_the_groups_only_when_they_change_the_answer()
    {
        int asked = 0;

        bool read = KernfsOwnership.Permits((UnixFileMode)0b110_100_100, SysfsAccess.Read, Nobody, _ => { asked++; return [0]; });

        read.Should().BeTrue();
        asked.Should().Be(0);
    }
}
