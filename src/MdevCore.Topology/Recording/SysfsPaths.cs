namespace MdevCore.Topology.Recording;

/// <summary>Relative sysfs path arithmetic ('/'-separated, relative to the tree's root).</summary>
internal static class SysfsPaths
{
    public static string Parent(string path) => path.LastIndexOf('/') is var i and > 0 ? path[..i] : "";

    public static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>Applies a relative symlink target to a directory, resolving <c>..</c>.</summary>
    public static string Join(string directory, string target)
    {
        var parts = new List<string>(directory.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (string part in target.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }
}
