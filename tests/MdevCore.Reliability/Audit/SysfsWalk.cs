using MdevCore.Sysfs;

namespace MdevCore.Reliability.Audit;

/// <summary>A walk of a whole sysfs view that does not follow links: every directory (when it is reached) and every
/// other entry (when its directory is listed), with its <c>lstat</c>.</summary>
public static class SysfsWalk
{
    /// <summary>The entries below <paramref name="root"/>, depth first.</summary>
    /// <param name="sysfs">The view.</param>
    /// <param name="root">Where to start (a directory).</param>
    /// <param name="problems">Where a directory that cannot be listed, or a listed entry that cannot be stat'ed, is
    /// reported; null to skip them silently.</param>
    /// <returns>Path and stat of each entry; the root comes first.</returns>
    public static IEnumerable<(string Path, SysfsStat Stat)> Entries(SysfsView sysfs, string root, List<string>? problems = null)
    {
        ArgumentNullException.ThrowIfNull(sysfs);
        var pending = new Stack<(string Path, SysfsStat Stat)>();
        pending.Push((root, new SysfsStat(SysfsNodeKind.Directory, default, 0)));
        while (pending.TryPop(out (string Path, SysfsStat Stat) dir))
        {
            yield return dir;
            Result<IReadOnlyList<string>> names = sysfs.List(dir.Path);
            if (!names.Succeeded)
            {
                problems?.Add($"{dir.Path} cannot be listed ({names.Error})");
                continue;
            }

            foreach (string name in names.Value)
            {
                string path = dir.Path + "/" + name;
                Result<SysfsStat> stat = sysfs.LStat(path);
                if (!stat.Succeeded)
                {
                    problems?.Add($"{path} is listed but LStat gives {stat.Error}");
                }
                else if (stat.Value.Kind == SysfsNodeKind.Directory)
                {
                    pending.Push((path, stat.Value));
                }
                else
                {
                    yield return (path, stat.Value);
                }
            }
        }
    }
}
