using FluentAssertions;
using MdevCore.Mediated;
using MdevCore.Sysfs;

namespace MdevCore.Testing;

/// <summary>The checks through sysfs and the C# lifecycle API: type directories, budgets, duplicates, cycles, open/close, unregistration.</summary>
public abstract partial class VendorDriverContract
{
    /// <summary>The parent has at least one type, and every type directory has the files of the sysfs ABI.</summary>
    private void Every_type_directory_has_the_sysfs_abi_files()
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
    private void Create_and_remove_through_sysfs_give_available_instances_back()
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
    private void Create_until_refused_returns_the_exhaustion_errno_with_available_instances_at_zero()
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
    private void Create_with_a_duplicate_uuid_returns_EEXIST_and_changes_nothing()
    {
        (MdevHost host, MdevParent parent) = Start();
        MdevType type = FirstWithRoom(host, parent);
        string uuid = NextUuid().ToString();
        host.Sysfs.Write(type.SysfsPath + "/create", uuid).Error.Should().Be(Errno.None);
        string tree = SysfsTreeWriter.Write(host.Sysfs);

        host.Sysfs.Write(type.SysfsPath + "/create", uuid).Error.Should().Be(Errno.EEXIST);

        SysfsTreeWriter.Write(host.Sysfs).Should().Be(tree);
    }

    /// <summary>Fifty create/remove cycles of one UUID leave the tree exactly as before.</summary>
    private void Fifty_create_remove_cycles_leave_the_tree_as_it_was()
    {
        (MdevHost host, MdevParent parent) = Start();
        MdevType type = FirstWithRoom(host, parent);
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
    private void A_device_opens_closes_reopens_and_is_removed_once_closed()
    {
        (MdevHost host, MdevParent parent) = Start();
        MdevType type = FirstWithRoom(host, parent);
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
    private void Unregistering_the_parent_removes_every_device()
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
}
