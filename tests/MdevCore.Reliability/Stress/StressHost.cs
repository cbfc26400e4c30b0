using MdevCore.DriverModel;
using MdevCore.Mediated;
using MdevCore.Reliability.Audit;
using MdevCore.Reliability.Faults;
using MdevCore.Sysfs;
using MdevCore.Vfio;

namespace MdevCore.Reliability.Stress;

/// <summary>
/// A host for reliability runs: PCI slots whose devices (bound to a simulated <c>i915</c>) can be added, deleted,
/// registered as mdev parents and unregistered from any thread; a uevent recorder from the host's first event; the
/// tree of the empty host to compare a teardown with; and the reference count of an idle mdev.
/// </summary>
public sealed class StressHost : IDisposable
{
    private readonly DeviceDriver _i915;

    /// <summary>Builds the host and measures its rest state.</summary>
    /// <param name="options">The shape of the host.</param>
    public StressHost(StressHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Host = new MdevHost(new MdevHostOptions { Profile = options.Profile, RemoveWaitTimeout = options.RemoveWaitTimeout });
        Recorder = new UEventRecorder(Host);
        _i915 = Host.DeviceModel.RegisterDriver(Host.DeviceModel.Pci, new NullDeviceDriver("i915")).GetValueOrThrow();
        Slots = [.. Enumerable.Range(0, options.Slots).Select(i => new StressSlot($"0000:00:{0x10 + i:x2}.0", options.VendorFactory(i)))];
        if (options.FaultyDriver)
        {
            FaultyDriver = Host.Mdev.RegisterDriver(new FaultyMdevDriver(Slots[0].Vendor)).GetValueOrThrow();
        }
        else if (options.Profile == KernelProfile.Seed)
        {
            // The seed has no built-in binding: vfio_mdev is a bus driver that registers itself.
            _ = Host.Mdev.RegisterDriver(new VfioMdevDriver()).GetValueOrThrow();
        }

        (MdevRestReferences, UnboundRestReferences) = MeasureRest();
        BaselineTree = SysfsTreeWriter.Write(Host.Sysfs);
    }

    /// <summary>How the host was built.</summary>
    public StressHostOptions Options { get; }

    /// <summary>The host.</summary>
    public MdevHost Host { get; }

    /// <summary>Every uevent since the host was made.</summary>
    public UEventRecorder Recorder { get; }

    /// <summary>The slots.</summary>
    public IReadOnlyList<StressSlot> Slots { get; }

    /// <summary>The fault-injecting bus driver every mdev binds to, when <see cref="StressHostOptions.FaultyDriver"/> is set.</summary>
    public DeviceDriver? FaultyDriver { get; }

    /// <summary>The sysfs tree of the host with no slot device (after the seed's first registration, which makes <c>class/mdev_bus</c>).</summary>
    public string BaselineTree { get; }

    /// <summary>The reference count of an idle, bound mdev.</summary>
    public int MdevRestReferences { get; }

    /// <summary>The reference count of an idle mdev with no driver.</summary>
    public int UnboundRestReferences { get; }

    /// <summary>Adds the slot's device and binds it to <c>i915</c>.</summary>
    /// <param name="slot">The slot.</param>
    /// <returns><see cref="Errno.EEXIST"/> while a device is at the address; else the driver core's errno.</returns>
    public Errno AddDevice(StressSlot slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        Result<PciDevice> added = Host.DeviceModel.AddPciDevice(slot.Address, new PciIds(0x8086, 0x3e92, 0x030000));
        if (!added.TryGetValue(out PciDevice? device))
        {
            return added.Error;
        }

        slot.Publish(device);
        return Host.DeviceModel.Bind(device, _i915);
    }

    /// <summary>Deletes the slot's device (<see cref="Errno.EBUSY"/> while it is a parent).</summary>
    /// <param name="slot">The slot.</param>
    /// <returns>The driver core's errno; <see cref="Errno.ENODEV"/> when there is none.</returns>
    public Errno DeleteDevice(StressSlot slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        if (slot.Device is not { } device)
        {
            return Errno.ENODEV;
        }

        Errno error = Host.DeviceModel.DeleteDevice(device);
        if (error == Errno.None)
        {
            slot.Retire(device);
        }

        return error;
    }

    /// <summary>Registers the slot's device as a parent with its vendor.</summary>
    /// <param name="slot">The slot.</param>
    /// <returns>The core's errno.</returns>
    public Errno Register(StressSlot slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        if (slot.Device is not { } device)
        {
            return Errno.ENODEV;
        }

        // Under the modern profile only slot 0 asks for the faulty driver; the seed offers every device to every bus driver.
        DeviceDriver? driver = ReferenceEquals(slot, Slots[0]) ? FaultyDriver : null;
        var options = new MdevParentOptions { MaxInstances = Options.MaxInstances, Driver = driver };
        return Host.Mdev.RegisterParent(device, slot.Vendor, options).Error;
    }

    /// <summary>Unregisters the slot's parent.</summary>
    /// <param name="slot">The slot.</param>
    /// <returns>The core's errno.</returns>
    public Errno Unregister(StressSlot slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return slot.Device is { } device ? Host.Mdev.UnregisterParent(device) : Errno.ENODEV;
    }

    /// <summary>The invariants of the quiescent host, its slots and its uevents so far.</summary>
    /// <returns>One line per violation.</returns>
    public List<string> Audit()
    {
        var violations = new List<string>(HostAudit.Check(Host, (MdevRestReferences, UnboundRestReferences)));
        violations.AddRange(Recorder.Check(expectClosed: false));
        return violations;
    }

    /// <summary>Removes every mdev, unregisters every parent and deletes every slot device, then compares the tree
    /// with <see cref="BaselineTree"/> and checks that nothing is left: no mdev, no IOMMU group, every uevent paired.</summary>
    /// <returns>One line per residue.</returns>
    public List<string> TearDown()
    {
        var residue = new List<string>();
        foreach (MdevDevice mdev in Host.Mdev.GetDevices())
        {
            _ = Host.Mdev.RemoveDevice(mdev);
        }

        foreach (StressSlot slot in Slots)
        {
            _ = Unregister(slot);
            Errno deleted = DeleteDevice(slot);
            if (deleted is not (Errno.None or Errno.ENODEV))
            {
                residue.Add($"deleting {slot.Address} gives {deleted}");
            }
        }

        if (Host.Mdev.DeviceCount != 0)
        {
            residue.Add($"{Host.Mdev.DeviceCount} mdevs are left: {string.Join(", ", Host.Mdev.GetDevices().Select(d => d.Name))}");
        }

        if (Host.Mdev.GetParents().Count != 0)
        {
            residue.Add($"{Host.Mdev.GetParents().Count} parents are left");
        }

        if (Host.IommuGroups.Count != 0)
        {
            residue.Add($"{Host.IommuGroups.Count} IOMMU groups are left");
        }

        string tree = SysfsTreeWriter.Write(Host.Sysfs);
        if (tree != BaselineTree)
        {
            residue.Add("the tree differs from a fresh host's: " + FirstDifference(BaselineTree, tree));
        }

        residue.AddRange(Recorder.Check(expectClosed: true));
        return residue;
    }

    /// <summary>A whole healthy life on <paramref name="slot"/>: add, register, create through sysfs, open through
    /// VFIO, pin and unmap, close, remove, unregister, delete. Every step must succeed.</summary>
    /// <param name="slot">A slot with no device.</param>
    /// <param name="uuid">The UUID to create.</param>
    /// <returns>One line per step that failed.</returns>
    public List<string> RunHealthyCycle(StressSlot slot, Guid uuid)
    {
        ArgumentNullException.ThrowIfNull(slot);
        var failures = new List<string>();
        void Step(string what, Errno error)
        {
            if (error != Errno.None)
            {
                failures.Add($"healthy {what} on {slot.Address} gives {error}");
            }
        }

        Step("add", AddDevice(slot));
        Step("register", Register(slot));
        Step("create", Host.Sysfs.Write(slot.CreatePath(1), uuid.ToString()).Error);
        if (Host.Mdev.TryGetDevice(uuid, out MdevDevice? mdev))
        {
            Step("vfio session", VfioSession.Run(Host, mdev, slot.Vendor, pages: 2));
        }
        else
        {
            failures.Add($"healthy create of {uuid} left no device");
        }

        Step("remove", Host.Sysfs.Write($"/sys/bus/mdev/devices/{uuid}/remove", "1").Error);
        Step("unregister", Unregister(slot));
        Step("delete", DeleteDevice(slot));
        return failures;
    }

    /// <inheritdoc/>
    public void Dispose() => Recorder.Dispose();

    private (int Bound, int Unbound) MeasureRest()
    {
        // One whole life on slot 0. It also makes the seed's class/mdev_bus, which the seed creates at the first
        // registration and keeps, so the baseline tree is taken after it.
        StressSlot slot = Slots[0];
        AddDevice(slot).ThrowIfFailed();
        Register(slot).ThrowIfFailed();
        var uuid = Guid.Parse("5eed0000-0000-4000-8000-000000000001");
        MdevDevice mdev = Host.Mdev.CreateDevice(slot.FindParent(Host)!.Types[0], uuid).GetValueOrThrow();
        int bound = mdev.ReferenceCount;
        Host.DeviceModel.Unbind(mdev).ThrowIfFailed();
        int unbound = mdev.ReferenceCount;
        Host.Mdev.RemoveDevice(mdev).ThrowIfFailed();
        Unregister(slot).ThrowIfFailed();
        DeleteDevice(slot).ThrowIfFailed();
        return (bound, unbound);
    }

    private static string FirstDifference(string expected, string actual)
    {
        string[] a = expected.Split('\n');
        string[] b = actual.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            string left = i < a.Length ? a[i] : "(end)";
            string right = i < b.Length ? b[i] : "(end)";
            if (left != right)
            {
                return $"line {i + 1}: expected '{left}', found '{right}'";
            }
        }

        return "(none)";
    }

    private sealed class NullDeviceDriver(string name) : IDeviceDriver
    {
        public string Name => name;

        public Errno Probe(Device device) => Errno.None;

        public void Remove(Device device)
        {
        }
    }
}
