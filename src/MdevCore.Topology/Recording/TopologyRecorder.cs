using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MdevCore.Topology.Recording;

/// <summary>
/// Reads a sysfs tree (a real host's <c>/sys</c>, a mount of a simulated one, or an archive) and describes its mdev parents as
/// a topology: placement, bus and IDs, driver, types with the budget they show now, parent attribute groups, and the active
/// devices with their types and readable attributes. What it cannot use it reports, never drops silently.
/// </summary>
/// <remarks>Budgets are recorded per type as <c>available_instances</c> plus the type's active devices: a budget the types
/// shared (with costs) is recorded as each type's own. Thread safety: one call at a time per instance.</remarks>
internal sealed partial class TopologyRecorder(ISysfsSource sys)
{
    // Files of a parent device that its placement reproduces (driver model, PCI), consumed silently.
    private static readonly FrozenSet<string> PlacementFiles = FrozenSet.Create(StringComparer.Ordinal,
        "uevent", "vendor", "device", "class", "subsystem_vendor", "subsystem_device", "revision", "config", "irq", "numa_node",
        "local_cpus", "local_cpulist", "enable", "msi_bus", "modalias", "driver_override", "dma_mask_bits", "consistent_dma_mask_bits",
        "broken_parity_status", "d3cold_allowed", "power_state", "reset", "reset_method", "remove", "rescan", "current_link_speed",
        "current_link_width", "max_link_speed", "max_link_width", "ari_enabled", "boot_vga", "label", "index", "rom", "waiting_for_supplier");

    // Directories and links of a parent device the recorder interprets or the placement reproduces.
    private static readonly FrozenSet<string> PlacementEntries = FrozenSet.Create(StringComparer.Ordinal,
        "mdev_supported_types", "power", "driver", "subsystem", "iommu_group", "iommu", "firmware_node", "msi_irqs", "link");

    // Files the mdev core puts in an mdev's directory.
    private static readonly FrozenSet<string> CoreDeviceEntries = FrozenSet.Create(StringComparer.Ordinal,
        "remove", "uevent", "driver", "subsystem", "iommu_group", "mdev_type", "power", "vfio-dev");

    private readonly List<string> _problems = [];

    /// <summary>What could not be recorded, one line each.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Records the parents (all of them, or the named ones) as a topology document.</summary>
    public RecordedHost Record(IReadOnlyCollection<string>? only = null)
    {
        if (sys.KindOf("class/mdev_bus") != SysfsEntryKind.Directory)
        {
            throw new TopologyException("record", "$", "no class/mdev_bus directory: the tree has no mdev parents (is it a sysfs root holding bus/, class/ and devices/?)");
        }

        IReadOnlyList<string> names = sys.List("class/mdev_bus");
        foreach (string missing in (only ?? []).Where(n => !names.Contains(n)))
        {
            _problems.Add($"parent {missing}: not in class/mdev_bus (there: {string.Join(", ", names)})");
        }

        var parents = new List<RecordedParent>();
        foreach (string name in names.Where(n => only is null || only.Count == 0 || only.Contains(n)))
        {
            if (RecordParent(name) is { } parent)
            {
                parents.Add(parent);
            }
        }

        bool seed = sys.KindOf("bus/mdev/drivers/vfio_mdev") == SysfsEntryKind.Directory;
        return new RecordedHost(seed ? "seed" : "modern", seed ? parents : AssignMdevDrivers(parents));
    }

    /// <summary>A parent without devices does not show which mdev driver is its own; when one such parent and one mdev
    /// driver that no parent explains are left, they belong together (vfio_ap_mdev, intel_vgpu_mdev on a one-GPU host).</summary>
    private List<RecordedParent> AssignMdevDrivers(List<RecordedParent> parents)
    {
        IReadOnlyList<string> drivers = sys.List("bus/mdev/drivers");
        var explained = parents.Select(p => p.MdevDriver ?? p.Driver ?? p.Location.Class).ToHashSet(StringComparer.Ordinal);
        List<string> unexplained = [.. drivers.Where(d => !explained.Contains(d))];
        List<RecordedParent> open = [.. parents.Where(p => p.MdevDriver is null && p.Devices.Count == 0 && !drivers.Contains(p.Driver ?? p.Location.Class ?? ""))];
        if (open.Count == 1 && unexplained.Count == 1)
        {
            return [.. parents.Select(p => ReferenceEquals(p, open[0]) ? p with { MdevDriver = unexplained[0] } : p)];
        }

        foreach (string d in unexplained)
        {
            _problems.Add($"bus/mdev/drivers/{d}: an mdev driver no recorded parent shows as its own; not recorded");
        }

        return parents;
    }

    private RecordedParent? RecordParent(string name)
    {
        string link = "class/mdev_bus/" + name;
        if (sys.KindOf(link) != SysfsEntryKind.Symlink)
        {
            _problems.Add($"{link}: not a symlink to a device; skipped");
            return null;
        }

        string dir = SysfsPaths.Join("class/mdev_bus", sys.ReadLink(link));
        string? driver = LinkName(dir + "/driver");
        string? bus = LinkName(dir + "/subsystem");
        RecordedLocation? location = Place(dir, name, bus);
        if (location is null)
        {
            return null;
        }

        var types = new List<RecordedType>();
        var devices = new List<RecordedDevice>();
        string typesDir = dir + "/mdev_supported_types";
        IReadOnlyList<string> typeIds = sys.List(typesDir);
        string? prefix = driver ?? (location.Kind == "virtual" ? location.Class : null);
        if (prefix is null || typeIds.Any(t => !t.StartsWith(prefix + "-", StringComparison.Ordinal)))
        {
            string? common = CommonPrefix(typeIds);
            if (common is null)
            {
                _problems.Add($"{dir}: the type directories ({string.Join(", ", typeIds)}) share no driver prefix; parent skipped");
                return null;
            }

            if (prefix is not null)
            {
                _problems.Add($"{dir}: bound to {prefix}, but its types are prefixed {common}; recorded with driver {common}");
            }

            prefix = common;
        }

        foreach (string id in typeIds)
        {
            types.Add(RecordType(typesDir + "/" + id, id, prefix, devices));
        }

        RecordDirectoryEntries(dir, devices);
        devices.Sort((a, b) => a.Order != b.Order ? a.Order.CompareTo(b.Order) : string.CompareOrdinal(a.Uuid, b.Uuid));
        return new RecordedParent(location, location.Kind == "virtual" ? null : prefix, types, devices)
        {
            MdevDriver = devices.Select(d => d.Driver).FirstOrDefault(d => d is not null && d != prefix),
            ParentAttributes = RecordParentAttributes(dir),
        };
    }

    private RecordedLocation? Place(string dir, string name, string? bus)
    {
        string[] parts = dir.Split('/');
        if (parts.Length < 3 || parts[0] != "devices")
        {
            _problems.Add($"class/mdev_bus/{name}: points to {dir}, outside devices/; skipped");
            return null;
        }

        if (parts[1] == "virtual" && parts.Length == 4)
        {
            return new RecordedLocation("virtual") { Class = parts[2], Name = parts[3] };
        }

        if (parts[1] == "platform" && parts.Length == 3)
        {
            return new RecordedLocation("platform") { Name = parts[2] };
        }

        if (PciRoot().IsMatch(parts[1]) && PciAddress().IsMatch(parts[^1]))
        {
            if (parts.Length > 3)
            {
                _problems.Add($"{dir}: behind PCI bridges; recorded directly below {parts[1]} (mdevsim does not simulate bridges)");
            }

            return new RecordedLocation("pci")
            {
                Address = parts[^1],
                Vendor = Hex(dir + "/vendor"),
                Device = Hex(dir + "/device"),
                PciClass = Hex(dir + "/class"),
            };
        }

        if (parts.Length == 3)
        {
            return bus == "css" && CcwBusId().IsMatch(parts[2])
                ? new RecordedLocation("ccw") { Name = parts[2], Root = parts[1] }
                : new RecordedLocation("device") { Name = parts[2], Root = parts[1], Bus = bus };
        }

        _problems.Add($"{dir}: a placement mdevsim cannot simulate (not pci, virtual, platform, or a child of a root device); skipped");
        return null;
    }

    private RecordedType RecordType(string dir, string id, string prefix, List<RecordedDevice> devices)
    {
        string name = id[(prefix.Length + 1)..];
        string? pretty = Text(dir + "/name");
        string? api = Text(dir + "/device_api");
        string? available = Text(dir + "/available_instances");
        string? description = sys.KindOf(dir + "/description") == SysfsEntryKind.File ? Text(dir + "/description") : null;
        foreach (string entry in sys.List(dir).Where(e => e is not ("name" or "device_api" or "available_instances" or "description" or "create" or "devices")))
        {
            _problems.Add($"{dir}/{entry}: a type file mdevsim does not simulate; not recorded");
        }

        int active = 0;
        foreach (string uuid in sys.List(dir + "/devices"))
        {
            string link = dir + "/devices/" + uuid;
            if (sys.KindOf(link) == SysfsEntryKind.Symlink)
            {
                devices.Add(RecordDevice(SysfsPaths.Join(dir + "/devices", sys.ReadLink(link)), uuid, id));
                active++;
            }
        }

        int? budget = null;
        if (int.TryParse(available, NumberStyles.None, CultureInfo.InvariantCulture, out int left))
        {
            budget = left + active;
        }
        else
        {
            _problems.Add($"{dir}/available_instances: \"{available}\" is not a count; the type is recorded with a budget of its active devices");
            budget = active;
        }

        return new RecordedType(name, pretty == name ? null : pretty, api ?? "vfio-pci", budget.Value, description);
    }

    private string? Text(string path)
    {
        (string? text, string? problem) = sys.ReadText(path);
        if (text is null)
        {
            _problems.Add($"{path}: unreadable ({problem}); not recorded");
            return null;
        }

        return text.EndsWith('\n') ? text[..^1] : text;
    }

    private string? LinkName(string path) => sys.KindOf(path) == SysfsEntryKind.Symlink ? SysfsPaths.Name(sys.ReadLink(path)) : null;

    private string? Hex(string path) => sys.KindOf(path) == SysfsEntryKind.File ? Text(path) : null;

    private static string? CommonPrefix(IReadOnlyList<string> ids)
    {
        if (ids.Count == 0)
        {
            return null;
        }

        // The driver name may itself contain '-' (nvidia-vgpu-vfio is an mdev driver, but type prefixes are driver names).
        string first = ids[0];
        for (int dash = first.LastIndexOf('-'); dash > 0; dash = first.LastIndexOf('-', dash - 1))
        {
            string prefix = first[..dash];
            if (ids.All(i => i.StartsWith(prefix + "-", StringComparison.Ordinal)))
            {
                return prefix;
            }
        }

        return null;
    }

    [GeneratedRegex("^pci[0-9a-f]{4}:[0-9a-f]{2}$")]
    private static partial Regex PciRoot();

    [GeneratedRegex("^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]$")]
    private static partial Regex PciAddress();

    [GeneratedRegex("^[0-9a-f]\\.[0-9a-f]\\.[0-9a-f]{4}$")]
    private static partial Regex CcwBusId();
}
