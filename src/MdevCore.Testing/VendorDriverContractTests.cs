using System.Globalization;
using FluentAssertions;
using MdevCore.Mediated;
using MdevCore.Sysfs;
using Xunit;

namespace MdevCore.Testing;

/// <summary>
/// Contract tests for a vendor driver: derive one class per driver and implement <see cref="RegisterParent"/>.
/// Every test builds its own host, so the tests run in parallel and share nothing.
/// </summary>
/// <remarks>The checks go through the simulated sysfs where a management tool would, and through the C# API where
/// only a hypervisor can (open and close).</remarks>
public abstract class VendorDriverContractTests
{
    private int _nextUuid;

    /// <summary>The errno the driver (or the core, for a core-counted budget: <see cref="Errno.EUSERS"/>) returns
    /// for a create beyond the budget.</summary>
    protected abstract Errno ExhaustedErrno { get; }

    /// <summary>The most devices the exhaustion test creates before it gives up (a budget larger than this is not exhausted).</summary>
    protected virtual int ExhaustionLimit => 4096;

    /// <summary>The options of each test's host (the modern kernel profile by default).</summary>
    /// <returns>New options.</returns>
    protected virtual MdevHostOptions CreateHostOptions() => new() { RemoveWaitTimeout = TimeSpan.FromSeconds(30) };

    /// <summary>Adds the physical parent device to <paramref name="host"/> and registers the driver on it.</summary>
    /// <param name="host">A new host.</param>
    /// <returns>The registered parent.</returns>
    protected abstract MdevParent RegisterParent(MdevHost host);

    /// <summary>A UUID no other device of this test uses.</summary>
    /// <returns>The UUID.</returns>
    protected Guid NextUuid() => new(Interlocked.Increment(ref _nextUuid), 0x4d44, 0x4556, 0xa0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01);

    /// <summary>The parent has at least one type, and every type directory has the files of the sysfs ABI.</summary>
    [Fact]
    public void Every_type_directory_has_the_sysfs_abi_files()
    {
        (MdevHost host, MdevParent parent) = Start();
        parent.Types.Should().NotBeEmpty("a parent registers at least one type");
        foreach (MdevType type in parent.Types)
        {
            host.Sysfs.Stat(type.SysfsPath + "/create").Value.Mode.Should().Be(SysfsAttribute.Modes.WriteOnly, "create is write-only");
            host.Sysfs.Stat(type.SysfsPath + "/available_instances").Value.Mode.Should().Be(SysfsAttribute.Modes.ReadOnly);
            host.Sysfs.ReadText(type.SysfsPath + "/device_api").Value.Should().EndWith("\n").And.NotBe("\n");
            host.Sysfs.List(type.SysfsPath + "/devices").Value.Should().BeEmpty();
            Available(host, type).Should().BeGreaterThanOrEqualTo(0);
        }
    }

    /// <summary>A create through sysfs and the remove of that device give every type's count back exactly.</summary>
    [Fact]
    public void Create_and_remove_through_sysfs_give_available_instances_back()
    {
        (MdevHost host, MdevParent parent) = Start();
        foreach (MdevType type in parent.Types.Where(t => Available(host, t) > 0))
        {
            int[] before = Counts(host, parent);
            string uuid = NextUuid().ToString();

            host.Sysfs.Write(type.SysfsPath + "/create", uuid + "\n").Error.Should().Be(Errno.None);
            host.Sysfs.Exists(type.SysfsPath + "/devices/" + uuid).Should().BeTrue();
            Available(host, type).Should().BeLessThan(before[IndexOf(parent, type)], "a device takes from its type's budget");

            host.Sysfs.Write("/sys/bus/mdev/devices/" + uuid + "/remove", "1\n").Error.Should().Be(Errno.None);
            host.Sysfs.Exists("/sys/bus/mdev/devices/" + uuid).Should().BeFalse();
            Counts(host, parent).Should().Equal(before, "remove gives back what create took");
        }
    }

    /// <summary>Creating until refused ends with the driver's errno while <c>available_instances</c> reads 0.</summary>
    [Fact]
    public void Create_until_refused_returns_the_exhaustion_errno_with_available_instances_at_zero()
    {
        (MdevHost host, MdevParent parent) = Start();
        MdevType type = parent.Types[0];
        int created = 0;
        Errno error = Errno.None;
        while (created < ExhaustionLimit && (error = host.Mdev.CreateDevice(type, NextUuid()).Error) == Errno.None)
        {
            created++;
        }

        if (created == ExhaustionLimit)
        {
            return; // A budget beyond the limit: nothing to exhaust here.
        }

        error.Should().Be(ExhaustedErrno);
        Available(host, type).Should().Be(0, "the refusal and the count agree");
        host.Mdev.GetDevices().Should().HaveCount(created, "a refused create leaves no device behind");
    }

    /// <summary>A duplicate UUID is refused with EEXIST and the sysfs tree does not change.</summary>
    [Fact]
    public void Create_with_a_duplicate_uuid_returns_EEXIST_and_changes_nothing()
    {
        (MdevHost host, MdevParent parent) = Start();
        MdevType type = parent.Types.First(t => Available(host, t) > 0);
        string uuid = NextUuid().ToString();
        host.Sysfs.Write(type.SysfsPath + "/create", uuid).Error.Should().Be(Errno.None);
        string tree = SysfsTreeWriter.Write(host.Sysfs);

        host.Sysfs.Write(type.SysfsPath + "/create", uuid).Error.Should().Be(Errno.EEXIST);

        SysfsTreeWriter.Write(host.Sysfs).Should().Be(tree);
    }

    /// <summary>Fifty create/remove cycles of one UUID leave the tree exactly as before.</summary>
    [Fact]
    public void Fifty_create_remove_cycles_leave_the_tree_as_it_was()
    {
        (MdevHost host, MdevParent parent) = Start();
        MdevType type = parent.Types.First(t => Available(host, t) > 0);
        string before = SysfsTreeWriter.Write(host.Sysfs);
        Guid uuid = NextUuid();
        for (int i = 0; i < 50; i++)
        {
            MdevDevice device = host.Mdev.CreateDevice(type, uuid).GetValueOrThrow();
            host.Mdev.RemoveDevice(device).Should().Be(Errno.None, "cycle {0}", i);
        }

        SysfsTreeWriter.Write(host.Sysfs).Should().Be(before);
        host.Mdev.DeviceCount.Should().Be(0);
    }

    /// <summary>A device opens, closes and opens again, and is removed once closed.</summary>
    [Fact]
    public void A_device_opens_closes_reopens_and_is_removed_once_closed()
    {
        (MdevHost host, MdevParent parent) = Start();
        MdevType type = parent.Types.First(t => Available(host, t) > 0);
        MdevDevice device = host.Mdev.CreateDevice(type, NextUuid()).GetValueOrThrow();

        using (MdevDeviceHandle first = device.Open().GetValueOrThrow())
        {
            device.OpenCount.Should().Be(1);
        }

        device.OpenCount.Should().Be(0);
        using (MdevDeviceHandle second = device.Open().GetValueOrThrow())
        {
            second.IsClosed.Should().BeFalse();
        }

        host.Mdev.RemoveDevice(device).Should().Be(Errno.None);
        device.Open().Error.Should().Be(Errno.ENODEV, "a removed device does not open");
    }

    /// <summary>Unregistering the parent removes every live device, and the bus is empty afterwards.</summary>
    [Fact]
    public void Unregistering_the_parent_removes_every_device()
    {
        (MdevHost host, MdevParent parent) = Start();
        foreach (MdevType type in parent.Types.Where(t => Available(host, t) > 0))
        {
            host.Mdev.CreateDevice(type, NextUuid()).Error.Should().Be(Errno.None);
        }

        host.Mdev.UnregisterParent(parent).Should().Be(Errno.None);

        host.Mdev.DeviceCount.Should().Be(0);
        host.Sysfs.List("/sys/bus/mdev/devices").Value.Should().BeEmpty();
        host.Sysfs.Exists(parent.Device.SysfsPath + "/mdev_supported_types").Should().BeFalse();
    }

    private (MdevHost Host, MdevParent Parent) Start()
    {
        var host = new MdevHost(CreateHostOptions());
        return (host, RegisterParent(host));
    }

    private static int Available(MdevHost host, MdevType type) =>
        int.Parse(host.Sysfs.ReadText(type.SysfsPath + "/available_instances").GetValueOrThrow(), CultureInfo.InvariantCulture);

    private static int[] Counts(MdevHost host, MdevParent parent) => [.. parent.Types.Select(t => Available(host, t))];

    private static int IndexOf(MdevParent parent, MdevType type)
    {
        for (int i = 0; i < parent.Types.Count; i++)
        {
            if (ReferenceEquals(parent.Types[i], type))
            {
                return i;
            }
        }

        return -1;
    }
}
