using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.Mediated;

/// <summary>kernel-mdev.md §11 items 1-2 and the create rows of §5.11.</summary>
public sealed class CreateTests
{
    private static (MdevHost Host, MdevType Type) Setup(KernelProfile profile = KernelProfile.Modern, int max = 8)
    {
        MdevHost host = TestHosts.Create(profile);
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor(), max);
        return (host, parent.Types[0]);
    }

    [Theory]
    [InlineData(KernelProfile.Modern)]
    [InlineData(KernelProfile.Seed)]
    public void Create_with_36_bytes_succeeds_and_returns_the_byte_count(KernelProfile profile)
    {
        var (host, type) = Setup(profile);
        host.Sysfs.Write(type.Path("create"), TestHosts.Uuid1).Value.Should().Be(36);
        host.Sysfs.Exists("/sys/bus/mdev/devices/" + TestHosts.Uuid1).Should().BeTrue();
    }

    [Fact]
    public void Create_with_uuid_and_newline_succeeds()
    {
        var (host, type) = Setup();
        host.Sysfs.Write(type.Path("create"), TestHosts.Uuid1 + "\n").Value.Should().Be(37);
    }

    [Fact]
    public void Create_ignores_the_37th_byte_whatever_it_is()
    {
        var (host, type) = Setup();
        host.Sysfs.Write(type.Path("create"), TestHosts.Uuid1 + "X").Value.Should().Be(37);
        host.Mdev.TryGetDevice(Guid.Parse(TestHosts.Uuid1), out _).Should().BeTrue();
    }

    [Theory]
    [InlineData("83b8f4f2-509f-382f-3c1e-e6bfe0fa100")]
    [InlineData("83b8f4f2-509f-382f-3c1e-e6bfe0fa1001\r\n")]
    [InlineData("83b8f4f2-509f-382f-3c1e-e6bfe0fa1001\n\n")]
    public void Create_with_35_or_38_bytes_returns_EINVAL(string text)
    {
        var (host, type) = Setup();
        host.Sysfs.Write(type.Path("create"), text).Error.Should().Be(Errno.EINVAL);
        host.Mdev.DeviceCount.Should().Be(0);
    }

    [Theory]
    [InlineData("83b8f4f2509f-382f-3c1e-e6bfe0fa10010")]
    [InlineData("83b8f4f2-509f-382f-3c1e-e6bfe0fa100g")]
    [InlineData("{3b8f4f2-509f-382f-3c1e-e6bfe0fa1001")]
    [InlineData(" 3b8f4f2-509f-382f-3c1e-e6bfe0fa1001")]
    public void Create_with_malformed_uuid_returns_EINVAL(string text)
    {
        var (host, type) = Setup();
        host.Sysfs.Write(type.Path("create"), text).Error.Should().Be(Errno.EINVAL);
        host.UEvents.Drain().Should().NotContain(e => e.Action == UEventAction.Add && e.Subsystem == "mdev");
    }

    [Fact]
    public void Create_with_uppercase_uuid_names_the_device_in_lowercase()
    {
        var (host, type) = Setup();
        host.Sysfs.Write(type.Path("create"), TestHosts.Uuid1.ToUpperInvariant() + "\n").Value.Should().Be(37);
        host.Sysfs.List("/sys/bus/mdev/devices").Value.Should().Equal(TestHosts.Uuid1);
    }

    [Fact]
    public void Create_accepts_the_all_zero_uuid()
    {
        var (host, type) = Setup();
        host.Sysfs.Write(type.Path("create"), Guid.Empty.ToString("D")).Value.Should().Be(36);
    }

    [Theory]
    [InlineData(KernelProfile.Modern)]
    [InlineData(KernelProfile.Seed)]
    public void Create_with_duplicate_uuid_on_the_same_type_returns_EEXIST(KernelProfile profile)
    {
        var (host, type) = Setup(profile);
        host.Sysfs.Write(type.Path("create"), TestHosts.Uuid1).Succeeded.Should().BeTrue();
        host.Sysfs.Write(type.Path("create"), TestHosts.Uuid1).Error.Should().Be(Errno.EEXIST);
        host.Mdev.DeviceCount.Should().Be(1);
    }

    [Fact]
    public void Create_with_duplicate_uuid_on_another_type_returns_EEXIST()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor(new("a", "vfio-pci"), new("b", "vfio-pci")));
        host.Sysfs.Write(parent.Types[0].Path("create"), TestHosts.Uuid1).Succeeded.Should().BeTrue();
        host.Sysfs.Write(parent.Types[1].Path("create"), TestHosts.Uuid1).Error.Should().Be(Errno.EEXIST);
    }

    [Theory]
    [InlineData(KernelProfile.Modern)]
    [InlineData(KernelProfile.Seed)]
    public void Create_with_uuid_used_on_another_parent_returns_EEXIST(KernelProfile profile)
    {
        MdevHost host = TestHosts.Create(profile);
        MdevParent first = TestHosts.Register(host, TestHosts.AddGpu(host, "0000:00:02.0"), new TestVendor());
        MdevParent second = TestHosts.Register(host, TestHosts.AddGpu(host, "0000:00:03.0"), new TestVendor());
        host.Sysfs.Write(first.Types[0].Path("create"), TestHosts.Uuid1).Succeeded.Should().BeTrue();
        host.Sysfs.Write(second.Types[0].Path("create"), TestHosts.Uuid1).Error.Should().Be(Errno.EEXIST);
        second.GetDevices().Should().BeEmpty();
    }

    [Fact]
    public void Create_passes_the_vendor_errno_to_the_writer_and_leaves_no_device()
    {
        MdevHost host = TestHosts.Create();
        var vendor = new TestVendor { CreateResult = Errno.ENOSPC };
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), vendor);
        _ = host.UEvents.Drain();

        host.Sysfs.Write(parent.Types[0].Path("create"), TestHosts.Uuid1).Error.Should().Be(Errno.ENOSPC);

        host.Mdev.DeviceCount.Should().Be(0);
        host.Sysfs.ReadText(parent.Types[0].Path("available_instances")).Value.Should().Be("4\n");
        host.UEvents.Drain().Select(e => e.Action).Should().Equal(UEventAction.Add, UEventAction.Remove);
    }

    [Fact]
    public void Create_turns_EPROBE_DEFER_into_EAGAIN()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor { CreateResult = Errno.EPROBE_DEFER });
        host.Sysfs.Write(parent.Types[0].Path("create"), TestHosts.Uuid1).Error.Should().Be(Errno.EAGAIN);
    }

    [Fact]
    public void Create_when_the_vendor_throws_returns_EIO_and_leaves_nothing()
    {
        MdevHost host = TestHosts.Create();
        MdevParent parent = TestHosts.Register(host, TestHosts.AddGpu(host), new TestVendor { CreateThrows = new InvalidOperationException("boom") });
        string before = MdevCore.Sysfs.SysfsTreeWriter.Write(host.Sysfs);
        host.Mdev.CreateDevice(parent.Types[0], Guid.Parse(TestHosts.Uuid1)).Error.Should().Be(Errno.EIO);
        MdevCore.Sysfs.SysfsTreeWriter.Write(host.Sysfs).Should().Be(before);
    }

    [Fact]
    public void Create_through_the_api_is_the_same_as_writing_create()
    {
        var (host, type) = Setup();
        MdevDevice mdev = host.Mdev.CreateDevice(type, Guid.Parse(TestHosts.Uuid1)).GetValueOrThrow();
        mdev.Name.Should().Be(TestHosts.Uuid1);
        mdev.IsActive.Should().BeTrue();
        mdev.SysfsPath.Should().Be("/sys/devices/pci0000:00/0000:00:02.0/" + TestHosts.Uuid1);
        host.Sysfs.ReadLink(mdev.SysfsPath + "/mdev_type").Value.Should().Be("../mdev_supported_types/i915-1");
    }

    [Fact]
    public void GetValueOrThrow_on_a_failed_create_throws_MdevException_carrying_the_errno()
    {
        var (host, type) = Setup();
        _ = host.Mdev.CreateDevice(type, Guid.Parse(TestHosts.Uuid1)).Value;
        Action act = () => host.Mdev.CreateDevice(type, Guid.Parse(TestHosts.Uuid1)).GetValueOrThrow();
        act.Should().Throw<MdevException>().Which.Error.Should().Be(Errno.EEXIST);
    }
}
