using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Sysfs;
using MdevCore.Tests.Support;

namespace MdevCore.Tests.Mediated;

/// <summary>Parents coming and going while other threads create, delete and register: only errnos, nothing half made.</summary>
public sealed class RegistrationRaceTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    private static string Address(int i) => $"0000:{(i / 256) + 1:x2}:{(i / 8) % 32:x2}.{i % 8}";

    /// <summary>A vendor whose parent-group getter writes its own <c>create</c> while the core registers it.</summary>
    private sealed class SelfCreatingVendor(MdevHost host, Device device) : TestVendor, IMdevParentAttributeGroups
    {
        public Result<int> Written { get; private set; }

        public AttributeGroup[] Groups { get; set; } = [];

        public IReadOnlyList<AttributeGroup> ParentAttributeGroups
        {
            get
            {
                Written = host.Sysfs.Write(device.SysfsPath + "/mdev_supported_types/i915-1/create", TestHosts.Uuid1 + "\n");
                return Groups;
            }
        }
    }

    [Fact]
    public void Create_written_by_a_vendor_getter_during_registration_cannot_half_make_a_device()
    {
        MdevHost host = TestHosts.Create();
        Device gpu = TestHosts.AddGpu(host);
        var vendor = new SelfCreatingVendor(host, gpu);

        MdevParent parent = TestHosts.Register(host, gpu, vendor);

        vendor.Written.Error.Should().Be(Errno.ENOENT, "the core reads the vendor's tables before any type directory exists");
        host.Mdev.DeviceCount.Should().Be(0);
        host.Mdev.UnregisterParent(parent).Should().Be(Errno.None);
        host.DeviceModel.DeleteDevice(gpu).Should().Be(Errno.None);
    }

    [Fact]
    public void Failed_registration_leaves_no_device_behind_and_the_parent_device_can_be_deleted()
    {
        MdevHost host = TestHosts.Create();
        Device gpu = TestHosts.AddGpu(host);
        string tree = SysfsTreeWriter.Write(host.Sysfs);
        var vendor = new SelfCreatingVendor(host, gpu)
        {
            // "uevent" is a default attribute of every device: the group collides.
            Groups = [new AttributeGroup(null, [SysfsAttribute.Constant("uevent", "x\n")])],
        };

        host.Mdev.RegisterParent(gpu, vendor, new MdevParentOptions { MaxInstances = 2 }).Error.Should().Be(Errno.EEXIST);

        host.Mdev.DeviceCount.Should().Be(0);
        SysfsTreeWriter.Write(host.Sysfs).Should().Be(tree);
        host.DeviceModel.DeleteDevice(gpu).Should().Be(Errno.None);
    }

    [Theory]
    [InlineData(KernelProfile.Modern)]
    [InlineData(KernelProfile.Seed)]
    public void Create_racing_RegisterParent_gives_an_errno_or_a_whole_device(KernelProfile profile)
    {
        MdevHost host = TestHosts.Create(profile);
        if (profile == KernelProfile.Seed)
        {
            _ = host.Mdev.RegisterDriver(new RecordingMdevDriver("vfio_mdev")).Value;
        }

        Device gpu = TestHosts.AddGpu(host);
        string create = gpu.SysfsPath + "/mdev_supported_types/i915-1/create";
        var faults = new System.Collections.Concurrent.ConcurrentBag<string>();
        int created = 0;
        for (int round = 0; round < 1500; round++)
        {
            using var done = new ManualResetEventSlim();
            Task writer = Task.Run(() =>
            {
                do
                {
                    try
                    {
                        Result<int> r = host.Sysfs.Write(create, TestHosts.Uuid1 + "\n");
                        if (r.Succeeded)
                        {
                            _ = Interlocked.Increment(ref created);
                        }
                        else if (r.Error is not (Errno.ENOENT or Errno.EEXIST or Errno.ENODEV))
                        {
                            faults.Add("create: " + r.Error);
                        }
                    }
                    catch (Exception ex)
                    {
                        faults.Add(ex.GetType().Name + ": " + ex.Message);
                    }
                }
                while (!done.IsSet);
            });

            MdevParent parent = TestHosts.Register(host, gpu, new TestVendor());
            done.Set();
            writer.Wait(Limit).Should().BeTrue();

            foreach (MdevDevice mdev in host.Mdev.GetDevices())
            {
                mdev.IsActive.Should().BeTrue("a listed device is either whole or not there");
                mdev.Driver.Should().NotBeNull();
            }

            host.Mdev.UnregisterParent(parent).Should().Be(Errno.None);
            host.Mdev.DeviceCount.Should().Be(0);
        }

        faults.Should().BeEmpty();
        created.Should().BeGreaterThan(0, "some creates land while the parent is registered");
        host.DeviceModel.DeleteDevice(gpu).Should().Be(Errno.None);
    }

    [Fact]
    public void RegisterParent_racing_DeleteDevice_has_exactly_one_winner()
    {
        MdevHost host = TestHosts.Create();
        var faults = new System.Collections.Concurrent.ConcurrentBag<string>();
        for (int round = 0; round < 800; round++)
        {
            PciDevice card = host.DeviceModel.AddPciDevice(Address(round), new PciIds(0x10de, 0x1eb8, 0x030200)).Value;
            Result<MdevParent> registered = default;
            Errno deleted = Errno.None;
            using var go = new Barrier(2);
            int jitter = round % 64;
            Task a = Task.Run(() =>
            {
                go.SignalAndWait();
                Thread.SpinWait(jitter * 20);
                registered = host.Mdev.RegisterParent(card, new TestVendor(), new MdevParentOptions { MaxInstances = 1 });
            });
            Task b = Task.Run(() =>
            {
                go.SignalAndWait();
                Thread.SpinWait((63 - jitter) * 20);
                deleted = host.DeviceModel.DeleteDevice(card);
            });
            Task.WaitAll([a, b], Limit).Should().BeTrue();

            if (registered.Succeeded)
            {
                deleted.Should().Be(Errno.EBUSY);
                host.Sysfs.Exists("/sys/class/mdev_bus/" + card.Name).Should().BeTrue();
                host.Mdev.CreateDevice(registered.Value.Types[0], Guid.NewGuid()).Succeeded.Should().BeTrue();
                host.Mdev.UnregisterParent(registered.Value).Should().Be(Errno.None);
                host.DeviceModel.DeleteDevice(card).Should().Be(Errno.None);
            }
            else
            {
                registered.Error.Should().Be(Errno.ENODEV);
                deleted.Should().Be(Errno.None);
            }

            host.Sysfs.Exists("/sys/class/mdev_bus/" + card.Name).Should().BeFalse();
            card.IsRegistered.Should().BeFalse();
        }

        host.Mdev.GetParents().Should().BeEmpty();
        host.Mdev.DeviceCount.Should().Be(0);
    }

    [Fact]
    public void Parents_sharing_a_driver_name_register_and_unregister_concurrently_without_EBUSY()
    {
        MdevHost host = TestHosts.Create();
        Device[] cards = [.. Enumerable.Range(0, 3).Select(i => (Device)host.DeviceModel.AddPciDevice(Address(i), new PciIds(0x10de, 0x1eb8, 0x030200)).Value)];
        var options = new MdevParentOptions { MaxInstances = 1, DriverName = "nvidia" };
        for (int round = 0; round < 500; round++)
        {
            // Two first registrations at once.
            Result<MdevParent>[] first = new Result<MdevParent>[2];
            Parallel.For(0, 2, i => first[i] = host.Mdev.RegisterParent(cards[i], new TestVendor(), options));
            first.Select(r => r.Error).Should().Equal(Errno.None, Errno.None);

            // One registers while the last sharer of the other pair unregisters.
            host.Mdev.UnregisterParent(first[0].Value).Should().Be(Errno.None);
            Result<MdevParent> third = default;
            Errno last = Errno.None;
            Parallel.Invoke(
                () => last = host.Mdev.UnregisterParent(first[1].Value),
                () => third = host.Mdev.RegisterParent(cards[2], new TestVendor(), options));
            last.Should().Be(Errno.None);
            third.Error.Should().Be(Errno.None);
            third.Value.Driver!.Name.Should().Be("nvidia");
            third.Value.Driver.IsRegistered.Should().BeTrue();
            host.Mdev.UnregisterParent(third.Value).Should().Be(Errno.None);
        }

        host.Sysfs.Exists("/sys/bus/mdev/drivers/nvidia").Should().BeFalse();
    }
}
