namespace MdevCore.Hosting;

/// <summary>Where a host's topology file is: a relative path is taken from the application's content root
/// (<c>IHostEnvironment.ContentRootPath</c>), as the generic host does for its own files, not from the current directory.</summary>
internal static class TopologyPath
{
    public static string Resolve(string file, string? contentRoot) =>
        contentRoot is null || Path.IsPathRooted(file) ? file : Path.GetFullPath(Path.Combine(contentRoot, file));
}
