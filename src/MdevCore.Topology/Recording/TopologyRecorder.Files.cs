using System.Text.RegularExpressions;

namespace MdevCore.Topology.Recording;

/// <summary>The recorder's file-level work: mdev device directories and the parent's own attribute groups.</summary>
internal sealed partial class TopologyRecorder
{
    private RecordedDevice RecordDevice(string dir, string uuid, string type)
    {
        var files = new List<RecordedFile>();
        foreach (string entry in sys.List(dir))
        {
            string path = dir + "/" + entry;
            if (CoreDeviceEntries.Contains(entry))
            {
                continue;
            }

            switch (sys.KindOf(path))
            {
                case SysfsEntryKind.File:
                    files.Add(RecordFile(path, null, entry));
                    break;
                case SysfsEntryKind.Directory:
                    foreach (string inner in sys.List(path))
                    {
                        if (sys.KindOf(path + "/" + inner) == SysfsEntryKind.File)
                        {
                            files.Add(RecordFile(path + "/" + inner, entry, inner));
                        }
                        else
                        {
                            _problems.Add($"{path}/{inner}: not a file; not recorded");
                        }
                    }

                    break;
                default:
                    _problems.Add($"{path}: a link or entry mdevsim does not simulate in an mdev; not recorded");
                    break;
            }
        }

        string? group = LinkName(dir + "/iommu_group");
        long order = long.TryParse(group, out long n) ? n : long.MaxValue;
        return new RecordedDevice(uuid, type, files, LinkName(dir + "/driver"), order);
    }

    private RecordedFile RecordFile(string path, string? group, string name)
    {
        int mode = sys.ModeOf(path);
        string access = (mode & 0x124) != 0 ? ((mode & 0x92) != 0 ? "rw" : "ro") : "wo";
        if (mode is not (0x124 or 0x1a4 or 0x80 or 0x100 or 0x180))
        {
            _problems.Add($"{path}: mode {System.Convert.ToString(mode, 8)} recorded as {access} ({(access == "wo" ? "0200" : access == "ro" ? "0444" : "0644")})");
        }

        string? value = null;
        if (access != "wo")
        {
            value = Text(path);
            if (value is not null && value.Contains('\n', StringComparison.Ordinal))
            {
                _problems.Add($"{path}: a multi-line value; recorded empty (a declarative value is one line)");
                value = "";
            }
        }

        return new RecordedFile(group, name, access, value);
    }

    private void RecordDirectoryEntries(string dir, List<RecordedDevice> devices)
    {
        foreach (string entry in sys.List(dir))
        {
            if (PlacementEntries.Contains(entry) || PlacementFiles.Contains(entry) || ResourceFile().IsMatch(entry)
                || devices.Any(d => d.Uuid == entry) || IsGroup(dir + "/" + entry))
            {
                continue;
            }

            _problems.Add($"{dir}/{entry}: a parent file mdevsim does not simulate; not recorded");
        }
    }

    private bool IsGroup(string path) =>
        sys.KindOf(path) == SysfsEntryKind.Directory && sys.List(path) is { Count: > 0 } inner && inner.All(i => sys.KindOf(path + "/" + i) == SysfsEntryKind.File)
        && !Guid.TryParse(SysfsPaths.Name(path), out _);

    private List<RecordedFile> RecordParentAttributes(string dir) =>
        [.. sys.List(dir).Where(e => !PlacementEntries.Contains(e) && IsGroup(dir + "/" + e))
            .SelectMany(g => sys.List(dir + "/" + g).Select(f => RecordFile(dir + "/" + g + "/" + f, g, f)))];

    [GeneratedRegex("^resource[0-9]*(_wc)?$")]
    private static partial Regex ResourceFile();
}
