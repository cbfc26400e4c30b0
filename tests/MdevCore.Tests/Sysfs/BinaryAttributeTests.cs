using MdevCore.Sysfs;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.Sysfs;

/// <summary>Binary attributes (fs/sysfs/file.c, sysfs_kf_bin_read and _write): offsets, clamping, one page per call, EFBIG.</summary>
public sealed class BinaryAttributeTests
{
    private static (MdevHost Host, string Path, byte[] Backing) Host(long size = 6000)
    {
        MdevHost host = TestHosts.Create();
        var backing = new byte[size];
        for (int i = 0; i < backing.Length; i++)
        {
            backing[i] = (byte)i;
        }

        SysfsAttribute blob = SysfsAttribute.Binary("blob", SysfsAttribute.Modes.ReadWrite, _ => size,
            (_, buffer, offset) =>
            {
                backing.AsSpan((int)offset, buffer.Length).CopyTo(buffer);
                return buffer.Length;
            },
            (_, data, offset) =>
            {
                data.CopyTo(backing.AsSpan((int)offset));
                return data.Length;
            });
        var group = new AttributeGroup("extra", [blob]);
        MdevCore.DriverModel.Device device = TestHosts.AddVirtual(host);
        host.Tree.AddGroup(device.Directory!, group, device).ThrowIfFailed();
        return (host, device.SysfsPath + "/extra/blob", backing);
    }

    [Fact]
    public void Stat_reports_the_binary_size_and_reads_start_at_the_offset()
    {
        var (host, path, _) = Host();
        host.Sysfs.Stat(path).Value.Size.Should().Be(6000);
        SysfsOpenFile file = host.Sysfs.Open(path, SysfsAccess.Read).GetValueOrThrow();
        var buffer = new byte[3];

        file.Read(buffer, 257).Value.Should().Be(3);

        buffer.Should().Equal(1, 2, 3);
    }

    [Fact]
    public void A_read_returns_at_most_one_page_and_stops_at_the_size()
    {
        var (host, path, _) = Host();
        SysfsOpenFile file = host.Sysfs.Open(path, SysfsAccess.Read).GetValueOrThrow();

        file.Read(new byte[10000], 0).Value.Should().Be(4096);
        file.Read(new byte[10000], 5000).Value.Should().Be(1000);
        file.Read(new byte[10], 6000).Value.Should().Be(0);
        file.Read(new byte[10], -1).Error.Should().Be(Errno.EINVAL);
    }

    [Fact]
    public void A_write_lands_at_the_offset_is_clamped_and_past_the_end_is_EFBIG()
    {
        var (host, path, backing) = Host();
        SysfsOpenFile file = host.Sysfs.Open(path, SysfsAccess.Write).GetValueOrThrow();

        file.Write([9, 9], 10).Value.Should().Be(2);
        file.Write([7, 7, 7, 7], 5998).Value.Should().Be(2);
        file.Write([1], 6000).Error.Should().Be(Errno.EFBIG);
        file.Write([], 5).Value.Should().Be(0);

        backing[10..12].Should().Equal(9, 9);
        backing[5998..].Should().Equal(7, 7);
    }

    [Fact]
    public void The_mode_is_checked_at_open_and_the_access_at_each_call()
    {
        var (host, path, _) = Host();
        SysfsOpenFile reader = host.Sysfs.Open(path, SysfsAccess.Read).GetValueOrThrow();

        reader.Write([1], 0).Error.Should().Be(Errno.EBADF);
        host.Sysfs.Open(path, SysfsAccess.Write).GetValueOrThrow().Read(new byte[1], 0).Error.Should().Be(Errno.EBADF);
    }

    [Fact]
    public void A_throwing_callback_reads_as_EIO()
    {
        MdevHost host = TestHosts.Create();
        SysfsAttribute broken = SysfsAttribute.Binary("broken", SysfsAttribute.Modes.ReadOnly, _ => 16, (_, _, _) => throw new InvalidOperationException("vendor bug"), null);
        MdevCore.DriverModel.Device device = TestHosts.AddVirtual(host);
        host.Tree.AddGroup(device.Directory!, new AttributeGroup(null, [broken]), device).ThrowIfFailed();

        host.Sysfs.Open(device.SysfsPath + "/broken", SysfsAccess.Read).GetValueOrThrow().Read(new byte[4], 0).Error.Should().Be(Errno.EIO);
    }

    [Fact]
    public void A_readable_binary_attribute_needs_a_read_callback()
    {
        FluentActions.Invoking(() => SysfsAttribute.Binary("x", SysfsAttribute.Modes.ReadOnly, _ => 1, null, null)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => SysfsAttribute.Binary("x", SysfsAttribute.Modes.WriteOnly, _ => 1, null, null)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void The_tree_writer_shows_a_binary_attribute_as_hex_up_to_its_last_non_zero_byte()
    {
        MdevHost host = TestHosts.Create();
        SysfsAttribute blob = SysfsAttribute.Binary("blob", SysfsAttribute.Modes.ReadOnly, _ => 8,
            (_, buffer, offset) =>
            {
                byte[] bytes = [0xde, 0xad, 0, 0xbe, 0, 0, 0, 0];
                bytes.AsSpan((int)offset, buffer.Length).CopyTo(buffer);
                return buffer.Length;
            }, null);
        MdevCore.DriverModel.Device device = TestHosts.AddVirtual(host);
        host.Tree.AddGroup(device.Directory!, new AttributeGroup(null, [blob]), device).ThrowIfFailed();

        SysfsTreeWriter.Write(host.Sysfs, device.SysfsPath).Should().Contain($"B {device.SysfsPath}/blob 0444 8 = dead00be\n");
    }
}
